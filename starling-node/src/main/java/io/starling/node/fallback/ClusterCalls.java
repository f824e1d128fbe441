package io.starling.node.fallback;

import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.history.HistoryRecorder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * What every {@link ReplicatedCluster} runs its calls with: the replicated aggregator's
 * {@link AggregatorClient} (leader hints, resends, history) and the daemon threads that keep the
 * hybrid client's protocol thread from blocking on the group.
 */
final class ClusterCalls implements AutoCloseable {
    private final AggregatorClient client;
    private final ExecutorService io;

    /**
     * @param attemptTimeoutMs how long one replica is given to acknowledge before resending; the
     *     client polls for leader hints every twentieth of it (at least every 10 ms)
     * @param history where submits, resends and acks are recorded, or null
     */
    ClusterCalls(String clientId, List<? extends AggregatorEndpoint> endpoints, long attemptTimeoutMs,
                 HistoryRecorder history) {
        this.client = new AggregatorClient(clientId, List.copyOf(endpoints), attemptTimeoutMs,
                Math.max(10, attemptTimeoutMs / 20), history, System::currentTimeMillis);
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cluster-io-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    AggregatorClient client() {
        return client;
    }

    /** Runs {@code call} on the group's threads. */
    <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, io);
    }

    /** Offers {@code update} until a committed checkpoint includes it, on the group's threads. */
    CompletableFuture<UpdateAck> submitUntilAcked(ClientUpdate update, long timeoutMs) {
        return submitUntilAcked(update, timeoutMs, () -> { });
    }

    /**
     * As {@link #submitUntilAcked(ClientUpdate, long)}, running {@code first} on the group's thread
     * before the first attempt (to refresh endpoints without blocking the caller).
     */
    CompletableFuture<UpdateAck> submitUntilAcked(ClientUpdate update, long timeoutMs, Runnable first) {
        return async(() -> {
            first.run();
            try {
                return client.submitUntilAcked(update, timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        });
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
