package io.starling.cli.demo;

import io.starling.node.fallback.ClusterCalls;
import io.starling.node.fallback.ReplicatedCluster;
import io.starling.node.fallback.ServedModel;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryRecorder;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One demo client's view of the replica group, for its {@code FallbackClient}: updates and
 * hand-backs go through starling-node's {@link ClusterCalls} (the replicated aggregator's client:
 * leader hints, resends, history) over the replica processes' gRPC endpoints that
 * {@link DemoCluster} holds, on short channel-level retries; the serving model is
 * {@link DemoCluster#servingModel()}, the leader's latest checkpoint, which the demo already reads
 * for its narration.
 */
final class DemoGroupLink implements ReplicatedCluster {
    private final DemoCluster cluster;
    private final ClusterCalls calls;

    /**
     * @param attemptTimeoutMs how long one replica is given to acknowledge before the update is resent
     * @param history where submits, resends and acks are recorded
     */
    DemoGroupLink(String clientId, DemoCluster cluster, long attemptTimeoutMs, HistoryRecorder history) {
        this.cluster = cluster;
        this.calls = new ClusterCalls(clientId, cluster.endpoints(), attemptTimeoutMs, history);
    }

    @Override
    public CompletableFuture<Optional<ServedModel>> servingModel() {
        return calls.async(cluster::servingModel);
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
        return calls.submitUntilAcked(update, timeoutMs);
    }

    @Override
    public void close() {
        calls.close();
    }
}
