package io.starling.node.fallback;

import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.raft.aggregator.UpdateRejectedException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for "the aggregator" of a {@link io.starling.protocol.hybrid.HybridClient}: carries
 * the messages the hybrid addresses to its aggregator to the replicated group, and turns the
 * group's answers back into protocol events. The hybrid's own timers decide when to fall back and
 * when to probe; this class adds no decision of its own.
 *
 * <ul>
 *   <li>{@link Join} (start-up, and every probe during fallback): read the serving leader's latest
 *       committed model and deliver it as a {@link GlobalModel}. No serving leader means no answer,
 *       exactly like a lost message: the hybrid's model timeout or next probe handles it.</li>
 *   <li>{@link ClientUpdate}: submit it (following leader hints, resending) for up to
 *       {@code ackTimeoutMs}; once a committed checkpoint includes it, deliver
 *       {@link UpdateAccepted} and the serving leader's newest model, so the client trains on. If
 *       the group refuses it as too stale, deliver the newest model at once: the client trains
 *       again from it instead of waiting for an answer that will not come.</li>
 *   <li>{@link GossipModel} (the hand-back when the hybrid reconnects): submit it as a
 *       {@linkplain io.starling.raft.aggregator.ClientUpdate#handBack hand-back} with its gossip
 *       age, resending for up to {@code handBackTimeoutMs}; once committed, deliver the merged
 *       model.</li>
 * </ul>
 * Failures are logged, never turned into {@code DeliveryFailed}: an answer that does not come in
 * time is what the hybrid's fallback timeout measures, so there is one timeout, not two racing.
 */
final class ClusterLink {
    private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

    private final NodeId aggregator;
    private final String clientId;
    private final String taskId;
    private final double localSamples;
    private final ReplicatedCluster cluster;
    private final long ackTimeoutMs;
    private final long handBackTimeoutMs;
    private final Consumer<Event> events;
    private final AtomicLong lastServedVersion = new AtomicLong();
    private final AtomicLong handBacks = new AtomicLong();
    private final AtomicLong handBacksAcked = new AtomicLong();

    /**
     * @param aggregator the node id the hybrid uses for its aggregator
     * @param localSamples training examples behind each of this client's models
     * @param events where answers go, as protocol events (the client's protocol thread)
     */
    ClusterLink(NodeId aggregator, String clientId, String taskId, double localSamples, ReplicatedCluster cluster,
                long ackTimeoutMs, long handBackTimeoutMs, Consumer<Event> events) {
        this.aggregator = aggregator;
        this.clientId = clientId;
        this.taskId = taskId;
        this.localSamples = localSamples;
        this.cluster = cluster;
        this.ackTimeoutMs = ackTimeoutMs;
        this.handBackTimeoutMs = handBackTimeoutMs;
        this.events = events;
    }

    /** Gossip hand-backs a committed checkpoint has acknowledged. */
    long handBacksAcknowledged() {
        return handBacksAcked.get();
    }

    /** Carries one message addressed to the aggregator; the returned future is always complete. */
    CompletableFuture<Void> send(ProtocolMessage message) {
        switch (message) {
            case Join j -> deliverServingModel("probe");
            case ClientUpdate u -> submitTrained(u);
            case GossipModel g -> handBack(g);
            default -> log.warn("{}: the replicated aggregator takes no {}; dropped", clientId, message.type());
        }
        return CompletableFuture.completedFuture(null);
    }

    private void submitTrained(ClientUpdate u) {
        double loss = Double.isFinite(u.loss()) ? u.loss() : 0;
        var update = new io.starling.raft.aggregator.ClientUpdate(u.updateId(), clientId, u.baseVersion(), u.params(),
                u.samples(), loss);
        cluster.submit(update, ackTimeoutMs).whenComplete((ack, error) -> {
            if (error != null) {
                if (isStaleRefusal(error)) {
                    // Resending cannot help: hand the hybrid the latest model so it trains again.
                    log.info("{}: update {} refused as too stale; training on the latest model", clientId,
                            u.updateId());
                    deliverServingModel("after stale refusal");
                } else {
                    log.debug("{}: update {} not acknowledged: {}", clientId, u.updateId(), rootMessage(error));
                }
                return;
            }
            events.accept(new Event.MessageReceived(aggregator,
                    new UpdateAccepted(aggregator, Signature.NONE, ack.updateId(), taskId, ack.version())));
            deliverServingModel("after ack");
        });
    }

    private void handBack(GossipModel g) {
        String updateId = clientId + "/handback-" + handBacks.incrementAndGet();
        var update = io.starling.raft.aggregator.ClientUpdate.handBack(updateId, clientId, lastServedVersion.get(),
                g.params(), localSamples, g.age());
        log.info("{}: handing back its gossip model (age {}) as {}", clientId, format(g.age()), updateId);
        cluster.submit(update, handBackTimeoutMs).whenComplete((ack, error) -> {
            if (error != null) {
                log.warn("{}: hand-back {} not acknowledged within {} ms: {}", clientId, updateId, handBackTimeoutMs,
                        rootMessage(error));
                return;
            }
            handBacksAcked.incrementAndGet();
            log.info("{}: hand-back {} merged into committed version {}", clientId, updateId, ack.version());
            deliverServingModel("after hand-back");
        });
    }

    private void deliverServingModel(String why) {
        cluster.servingModel().whenComplete((served, error) -> {
            if (error != null) {
                log.warn("{}: cannot read the serving model ({}): {}", clientId, why, rootMessage(error));
            } else if (served.isEmpty()) {
                log.debug("{}: no serving leader ({})", clientId, why);
            } else {
                ServedModel m = served.get();
                lastServedVersion.accumulateAndGet(m.version(), Math::max);
                events.accept(new Event.MessageReceived(aggregator,
                        new GlobalModel(aggregator, Signature.NONE, taskId, m.version(), m.params(), m.age())));
            }
        });
    }

    private static boolean isStaleRefusal(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof UpdateRejectedException r && r.isStale();
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
