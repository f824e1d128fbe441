package io.starling.protocol.async;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.BaseModels;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedBuff;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.InvalidConfigException;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.MessageValidator;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.ReceiverContext;
import io.starling.protocol.message.Rejection;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.protocol.message.UpdateRejected;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Asynchronous aggregation: no rounds; clients train whenever they have a model and the server
 * folds their updates in as they come. With {@code bufferSize = 1} and a FedAsync rule each
 * update is mixed in on arrival with a weight that the rule derives from its staleness; with
 * {@code bufferSize = K} and a FedBuff rule the rule runs on every K buffered updates.
 *
 * <p>Client updates carry full trained weights; the server turns each into a
 * {@link Contribution.Form#DELTA} against the model of the update's own base version (kept for
 * the last {@code min(maxStaleness, 32) + 1} versions in core's {@link BaseModels}, the same
 * window and delta the replicated aggregator uses), so a stale update contributes only its
 * own progress and not the global updates it missed. An update whose base has left that window
 * is given to the rule as weights.
 *
 * <p>With {@code flushAfterMs > 0} a partly filled buffer is aggregated when its first update
 * has waited that long (timer {@link #FLUSH_TIMER}), so progress does not stop when fewer than K
 * clients remain.
 *
 * <p>Every commit increments the version by exactly one. Staleness of an update is
 * {@code version - baseVersion} at arrival; beyond {@code maxStaleness} the update is refused
 * with {@link RejectionReason#TOO_STALE} and the client is sent the current model. After each
 * accepted update the client is sent the newest model, so it keeps training. Updates are
 * acknowledged once a commit includes them; a resend of an acknowledged update id is answered
 * with the same acknowledgement (idempotent).
 *
 * <p>As the aggregator of the hybrid protocol it also takes {@link GossipModel}s from clients
 * returning from gossip fallback and merges them into the global model with the
 * {@code mergeBackRule} (doubly weighted averaging: server contribution with the server's age,
 * the returning model with its gossip age), committing a new version.
 */
public final class AsyncServer implements ProtocolNode {
    /** Armed when a buffer starts filling and {@link AsyncConfig#flushAfterMs()} &gt; 0. */
    public static final String FLUSH_TIMER = "async.flush";

    private final NodeId id;
    private final AsyncConfig config;
    private final AggregationRule rule;
    private final AggregationRule mergeBackRule;

    private AsyncServerState state = AsyncServerState.NEW;
    private ParamVector global;
    private long version;
    private double age;
    private final List<Buffered> buffer = new ArrayList<>();
    /** updateId -> committed version, or {@link #PENDING} while buffered. */
    private final Map<String, Long> seenUpdates = new LinkedHashMap<>();
    private static final long PENDING = -1;
    /** Most base models kept for computing deltas of stale updates. */
    static final int MAX_BASE_HISTORY = 33;
    /** The global models of the last few versions, the bases of stale updates' deltas. */
    private final BaseModels history;

    private record Buffered(NodeId client, String updateId, Contribution contribution) {
    }

    /**
     * @param mergeBackRule combines the server model with a returning gossip model (hybrid);
     *     {@code null} if this server refuses gossip models
     */
    public AsyncServer(NodeId id, AsyncConfig config, ParamVector initialModel, AggregationRule rule,
                       AggregationRule mergeBackRule) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.mergeBackRule = mergeBackRule;
        this.global = initialModel.copy().requireSize("initial model", config.paramCount()).requireFinite("initial model");
        if (rule instanceof FedBuff fedBuff && fedBuff.bufferSize() != config.bufferSize()) {
            throw new InvalidConfigException("bufferSize", config.bufferSize(),
                    "the FedBuff rule's k = " + fedBuff.bufferSize() + " (use AsyncConfig.forRule)");
        }
        this.history = BaseModels.forBound(config.stalenessBound(), MAX_BASE_HISTORY);
        history.put(0L, global.copy());
    }

    public AsyncServer(NodeId id, AsyncConfig config, ParamVector initialModel, AggregationRule rule) {
        this(id, config, initialModel, rule, null);
    }

    @Override
    public NodeId id() {
        return id;
    }

    public AsyncServerState state() {
        return state;
    }

    public long version() {
        return version;
    }

    public double age() {
        return age;
    }

    public ParamVector globalModel() {
        return global.copy();
    }

    /** Updates accepted but not yet folded into a version. */
    public int bufferedUpdates() {
        return buffer.size();
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        List<Action> out = new ArrayList<>();
        switch (event) {
            case Event.Start s -> transitionToServing();
            case Event.MessageReceived m -> onMessage(m.from(), m.message(), nowMs, out);
            case Event.TimerFired t -> {
                if (t.key().equals(FLUSH_TIMER) && !buffer.isEmpty()) {
                    commitBuffer(out);
                }
            }
            case Event.TrainingDone d -> {
                // The server does not train.
            }
            case Event.DeliveryFailed f -> {
                // A client that missed its model re-joins after its model timeout.
            }
        }
        return out;
    }

    private void transitionToServing() {
        if (state == AsyncServerState.SERVING) {
            return; // a repeated Start (recovery) keeps serving the state it holds
        }
        state = AsyncServerState.SERVING;
    }

    private void onMessage(NodeId from, Message message, long nowMs, List<Action> out) {
        if (!(message instanceof ProtocolMessage pm)) {
            report(out, from, message.getClass().getSimpleName(),
                    new Rejection(RejectionReason.UNEXPECTED_MESSAGE, "not a Starling protocol message"));
            return;
        }
        if (state != AsyncServerState.SERVING) {
            refuse(out, from, pm, new Rejection(RejectionReason.UNEXPECTED_MESSAGE, "server has not started"));
            return;
        }
        ReceiverContext ctx = new ReceiverContext(config.taskId(), config.paramCount(), version, config.maxStaleness());
        Optional<Rejection> rejection = MessageValidator.validate(from, pm, ctx);
        if (rejection.isPresent()) {
            refuse(out, from, pm, rejection.get());
            RejectionReason reason = rejection.get().reason();
            if (reason == RejectionReason.TOO_STALE || reason == RejectionReason.FUTURE_VERSION) {
                out.add(new Action.Send(from, currentModel()));
            }
            return;
        }
        switch (pm) {
            case Join j -> out.add(new Action.Send(from, currentModel()));
            case ClientUpdate u -> onUpdate(from, u, nowMs, out);
            case GossipModel g -> onReturningModel(from, g, out);
            default -> refuse(out, from, pm, new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "an asynchronous aggregator does not handle " + pm.type()));
        }
    }

    private void onUpdate(NodeId from, ClientUpdate u, long nowMs, List<Action> out) {
        Long seen = seenUpdates.get(u.updateId());
        if (seen != null) {
            if (seen != PENDING) {
                out.add(new Action.Send(from, new UpdateAccepted(id, Signature.NONE, u.updateId(), config.taskId(), seen)));
            }
            report(out, from, u.type(), new Rejection(RejectionReason.DUPLICATE_UPDATE,
                    "update " + u.updateId() + " was already " + (seen == PENDING ? "buffered" : "committed in version " + seen)));
            return;
        }
        long staleness = version - u.baseVersion();
        Contribution contribution = history.get(u.baseVersion())
                .map(base -> BaseModels.deltaContribution(u.params(), base, u.samples(), staleness))
                .orElseGet(() -> Contribution.ofStaleClient(u.params(), u.samples(), staleness));
        if (buffer.isEmpty() && config.flushAfterMs() > 0 && config.bufferSize() > 1) {
            out.add(new Action.SetTimer(FLUSH_TIMER, nowMs + config.flushAfterMs()));
        }
        buffer.add(new Buffered(from, u.updateId(), contribution));
        remember(u.updateId());
        out.add(new Action.Report(new Observation.UpdateAccepted(from, u.updateId(), staleness)));
        if (buffer.size() >= config.bufferSize()) {
            commitBuffer(out);
        }
        out.add(new Action.Send(from, currentModel()));
    }

    private void commitBuffer(List<Action> out) {
        List<Contribution> contributions = buffer.stream().map(Buffered::contribution).toList();
        commit(rule.aggregate(global, contributions), age + contributions.size(), out);
        for (Buffered b : buffer) {
            seenUpdates.put(b.updateId(), version);
            out.add(new Action.Send(b.client(), new UpdateAccepted(id, Signature.NONE, b.updateId(), config.taskId(), version)));
        }
        buffer.clear();
        if (config.flushAfterMs() > 0 && config.bufferSize() > 1) {
            out.add(new Action.CancelTimer(FLUSH_TIMER));
        }
    }

    private void onReturningModel(NodeId from, GossipModel g, List<Action> out) {
        if (mergeBackRule == null) {
            refuse(out, from, g, new Rejection(RejectionReason.UNEXPECTED_MESSAGE,
                    "this aggregator is not configured to merge gossip models (no merge-back rule)"));
            return;
        }
        double serverAge = age;
        List<Contribution> contributions = List.of(
                Contribution.ofServer(global, serverAge),
                Contribution.ofPeer(g.params(), g.age()));
        double mergedAge = Math.max(serverAge, g.age());
        commit(mergeBackRule.aggregate(global, contributions), mergedAge, out);
        out.add(new Action.Report(new Observation.ModelMerged(from, serverAge, g.age(), mergedAge)));
        out.add(new Action.Send(from, currentModel()));
    }

    private void commit(ParamVector next, double nextAge, List<Action> out) {
        next.requireSize("aggregated model", config.paramCount()).requireFinite("aggregated model");
        global = next;
        version++;
        age = nextAge;
        history.put(version, global.copy());
        out.add(new Action.ModelCommitted(version, global.copy(), age));
    }

    private GlobalModel currentModel() {
        return new GlobalModel(id, Signature.NONE, config.taskId(), version, global, age);
    }

    private void remember(String updateId) {
        seenUpdates.put(updateId, PENDING);
        if (seenUpdates.size() > AsyncConfig.REMEMBERED_UPDATE_IDS) {
            Iterator<Map.Entry<String, Long>> oldest = seenUpdates.entrySet().iterator();
            while (seenUpdates.size() > AsyncConfig.REMEMBERED_UPDATE_IDS && oldest.hasNext()) {
                if (oldest.next().getValue() != PENDING) {
                    oldest.remove();
                }
            }
        }
    }

    private void refuse(List<Action> out, NodeId from, ProtocolMessage m, Rejection rejection) {
        report(out, from, m.type(), rejection);
        if (m instanceof ClientUpdate u) {
            out.add(new Action.Send(from, new UpdateRejected(id, Signature.NONE, u.updateId(), u.taskId(),
                    rejection, version)));
        }
    }

    private static void report(List<Action> out, NodeId from, String type, Rejection rejection) {
        out.add(new Action.Report(new Observation.MessageRejected(from, type, rejection)));
    }
}
