package io.starling.cli.demo;

import io.starling.node.fallback.ReplicatedCluster;
import io.starling.node.fallback.ServedModel;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryRecorder;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One demo client's view of the replica group, for its {@code FallbackClient}: updates and
 * hand-backs go through the replicated aggregator's {@link AggregatorClient} (leader hints,
 * resends, history) over the replicas' gRPC endpoints that {@link DemoCluster} holds; the serving
 * model is {@link DemoCluster#servingModel()}, the leader's latest checkpoint only.
 *
 * <p>Same contract as starling-node's {@code GrpcCluster}, but on the channels made for clients of
 * a group ({@code GrpcAggregatorEndpoint.channelOptions()}: short channel-level retries). Those of
 * {@code GrpcCluster} keep gRPC's default retry policy, which retries a call to a SIGKILLed
 * leader for seconds inside the channel: longer than the fallback timeout, so every leader kill
 * would send the clients to gossip before their update reached the new leader.
 */
final class DemoGroupLink implements ReplicatedCluster {
    private final DemoCluster cluster;
    private final AggregatorClient client;
    private final ExecutorService io;

    /**
     * @param attemptTimeoutMs how long one replica is given to acknowledge before the update is resent
     * @param history where submits, resends and acks are recorded
     */
    DemoGroupLink(String clientId, DemoCluster cluster, long attemptTimeoutMs, HistoryRecorder history) {
        this.cluster = cluster;
        this.client = new AggregatorClient(clientId, cluster.endpoints(), attemptTimeoutMs, 100, history,
                System::currentTimeMillis);
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-link-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Optional<ServedModel>> servingModel() {
        return CompletableFuture.supplyAsync(cluster::servingModel, io);
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.submitUntilAcked(update, timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, io);
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
