package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link ReplicatedCluster} of {@link ReplicatedAggregator}s running in this JVM (tests, or a
 * node that hosts replicas). Submissions go through the replicated aggregator's own
 * {@link AggregatorClient}: it follows leader hints, resends after a failover and records every
 * submit, resend and ack to the history. Replicas come from a supplier, so a replica restarted as
 * a new object is picked up at the next call.
 */
public final class InProcessCluster implements ReplicatedCluster {
    private final Supplier<? extends Collection<ReplicatedAggregator>> replicas;
    private final ClusterCalls calls;

    /**
     * @param clientId the client these submissions come from (for the history)
     * @param replicas the replicas running now
     * @param attemptTimeoutMs how long one replica is given to acknowledge before resending
     * @param history where submits, resends and acks are recorded, or null
     */
    public InProcessCluster(String clientId, Supplier<? extends Collection<ReplicatedAggregator>> replicas,
                            long attemptTimeoutMs, HistoryRecorder history) {
        this.replicas = replicas;
        this.calls = new ClusterCalls(clientId, List.copyOf(replicas.get()), attemptTimeoutMs, history);
    }

    @Override
    public CompletableFuture<Optional<ServedModel>> servingModel() {
        return calls.async(this::readServingModel);
    }

    private Optional<ServedModel> readServingModel() {
        for (ReplicatedAggregator r : replicas.get()) {
            if (!r.isLeader()) {
                continue;
            }
            Optional<CheckpointCommitted> latest = r.latest();
            if (latest.isEmpty()) {
                continue;
            }
            ParamVector model = r.latestModel().orElseThrow();
            return Optional.of(new ServedModel(latest.get().version(), CheckpointAggregation.modelAge(latest.get()), model));
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
        // A replica restarted as a new object replaces its predecessor's endpoint.
        return calls.submitUntilAcked(update, timeoutMs, () -> replicas.get().forEach(calls.client()::putEndpoint));
    }

    @Override
    public void close() {
        calls.close();
    }
}
