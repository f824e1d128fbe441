package io.starling.raft.fault;

import io.starling.net.fault.FaultInjector;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * <b>For fault testing.</b> A client's view of one replica through the fault rules of a
 * {@link FaultInjector}, so a partition can put clients on either side, together with the
 * replicas they can still reach ({@link RaftFaultInjection} cuts the replicas themselves).
 *
 * <p>A submission is a message from the client to the replica and its acknowledgement one back:
 * a cut in either direction fails it at once with {@link LinkCutException} (the client resends
 * elsewhere, as after a connection error), and a cut replica gives no leader hint. A delay rule
 * delays the submission, in each direction that has one.
 */
public final class FaultInjectingEndpoint implements AggregatorEndpoint {
    private final String clientId;
    private final AggregatorEndpoint replica;
    private final FaultInjector faults;

    /**
     * @param clientId the client's node id, as used in the fault rules
     * @param replica the replica reached through this endpoint
     * @param faults the rules to apply
     */
    public FaultInjectingEndpoint(String clientId, AggregatorEndpoint replica, FaultInjector faults) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    @Override
    public String replicaId() {
        return replica.replicaId();
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update) {
        FaultInjector.Decision out = faults.decide(clientId, replicaId());
        if (out.drop()) {
            return CompletableFuture.failedFuture(new LinkCutException(clientId, replicaId(), "update " + update.updateId()));
        }
        CompletableFuture<UpdateAck> sent = out.delayMs() == 0
                ? replica.submit(update)
                : CompletableFuture.supplyAsync(() -> replica.submit(update),
                        CompletableFuture.delayedExecutor(out.delayMs(), TimeUnit.MILLISECONDS)).thenCompose(f -> f);
        return sent.thenCompose(ack -> {
            FaultInjector.Decision back = faults.decide(replicaId(), clientId);
            if (back.drop()) {
                return CompletableFuture.failedFuture(new LinkCutException(replicaId(), clientId, "ack of " + ack.updateId()));
            }
            return back.delayMs() == 0 ? CompletableFuture.completedFuture(ack)
                    : CompletableFuture.supplyAsync(() -> ack,
                            CompletableFuture.delayedExecutor(back.delayMs(), TimeUnit.MILLISECONDS));
        });
    }

    @Override
    public Optional<String> leaderHint() {
        if (faults.decide(clientId, replicaId()).drop() || faults.decide(replicaId(), clientId).drop()) {
            return Optional.empty();
        }
        return replica.leaderHint();
    }
}
