package io.starling.protocol.message;

import io.starling.core.aggregate.StaleUpdateException;
import io.starling.core.aggregate.StalenessBound;
import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.Optional;

/**
 * Receipt checks: does a well-formed message fit the receiver's state? Runs before a message
 * touches any state, so a rejected message leaves the node exactly as it was. Checks, in order:
 * the claimed sender matches the transport's peer, the task is known, the model has the task's
 * dimension and only finite values (and a finite loss), and an update's base version is neither
 * in the future nor more than {@code maxStaleness} versions old, and a model is not older than
 * the one the receiver holds.
 */
public final class MessageValidator {
    private MessageValidator() {
    }

    /** The first failed check as a typed {@link Rejection}, or empty when the message may be applied. */
    public static Optional<Rejection> validate(NodeId from, ProtocolMessage message, ReceiverContext ctx) {
        Optional<Rejection> sender = checkSender(from, message);
        if (sender.isPresent()) {
            return sender;
        }
        return switch (message) {
            case GlobalModel g -> task(g.taskId(), ctx)
                    .or(() -> params(g.params(), ctx))
                    .or(() -> g.version() < ctx.currentVersion()
                            ? reject(RejectionReason.OUTDATED_MODEL, "model version " + g.version()
                                    + " is older than the known version " + ctx.currentVersion())
                            : Optional.empty());
            case ClientUpdate u -> task(u.taskId(), ctx)
                    .or(() -> params(u.params(), ctx))
                    .or(() -> Double.isFinite(u.loss()) ? Optional.empty()
                            : reject(RejectionReason.NON_FINITE, "reported loss is " + u.loss()))
                    .or(() -> staleness(u.baseVersion(), ctx));
            case GossipModel g -> task(g.taskId(), ctx).or(() -> params(g.params(), ctx));
            case UpdateAccepted a -> task(a.taskId(), ctx);
            case UpdateRejected r -> task(r.taskId(), ctx);
            case Join j -> task(j.taskId(), ctx);
            case ShuffleRequest s -> Optional.empty();
            case ShuffleReply s -> Optional.empty();
        };
    }

    /** Rejects a message whose claimed sender is not the peer the transport received it from. */
    public static Optional<Rejection> checkSender(NodeId from, ProtocolMessage message) {
        return from.equals(message.sender()) ? Optional.empty()
                : reject(RejectionReason.UNEXPECTED_MESSAGE,
                        "message claims sender " + message.sender() + " but arrived from " + from);
    }

    /** Staleness of an update based on {@code baseVersion} at a receiver at {@code currentVersion}. */
    public static Optional<Rejection> staleness(long baseVersion, ReceiverContext ctx) {
        try {
            new StalenessBound(ctx.maxStaleness()).stalenessOf(baseVersion, ctx.currentVersion());
            return Optional.empty();
        } catch (StaleUpdateException e) {
            RejectionReason reason = e.kind() == StaleUpdateException.Kind.FUTURE_VERSION
                    ? RejectionReason.FUTURE_VERSION : RejectionReason.TOO_STALE;
            return reject(reason, e.getMessage());
        }
    }

    private static Optional<Rejection> task(String taskId, ReceiverContext ctx) {
        return taskId.equals(ctx.taskId()) ? Optional.empty()
                : reject(RejectionReason.UNKNOWN_TASK, "task '" + taskId + "' is not served here (this node serves '"
                        + ctx.taskId() + "')");
    }

    private static Optional<Rejection> params(ParamVector params, ReceiverContext ctx) {
        if (params.size() != ctx.paramCount()) {
            return reject(RejectionReason.DIMENSION_MISMATCH, "model has " + params.size()
                    + " parameters but task '" + ctx.taskId() + "' expects " + ctx.paramCount());
        }
        int bad = params.firstNonFinite();
        if (bad >= 0) {
            return reject(RejectionReason.NON_FINITE, "parameter " + bad + " is " + params.get(bad));
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectionReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
