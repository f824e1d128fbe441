package io.starling.node.fallback;

import io.starling.raft.aggregator.AckTimeoutException;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import io.starling.net.blob.BlobStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a {@link FallbackClient} needs from the replicated aggregator group. Both calls return at
 * once; the work happens on the implementation's own threads. Implementations:
 * {@link InProcessCluster} (replicas in this JVM) and {@link GrpcCluster} (replicas over gRPC).
 */
public interface ReplicatedCluster extends AutoCloseable {
    /**
     * The latest committed model of the replica that serves as leader. Completes empty when no
     * replica serves as leader (or none answers): followers' copies do not count, because an
     * update sent now could not be committed.
     */
    CompletableFuture<Optional<ServedModel>> servingModel();

    /**
     * Offers {@code update}, following leader hints and resending, until a committed checkpoint
     * includes it. Fails with {@link AckTimeoutException} after {@code timeoutMs} (the update may
     * still be absorbed later; resending the same id is safe) or {@link UpdateRejectedException}.
     */
    CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs);

    /**
     * Keeps the group's models in the client's own blob store, which its {@code Blob} service
     * serves to other clients, and fetches each new one from {@code peers} that hold it before
     * asking the replicas. Called once by the client before it starts; the default ignores it
     * (replicas in this JVM hand their models over without a transfer).
     *
     * @param store the client's blob store
     * @param peers the other clients' gRPC addresses by id, read at each fetch (peer sampling
     *     learns more over time)
     */
    default void relayThrough(BlobStore store, Supplier<Map<String, String>> peers) {
    }

    /** Releases the threads and channels behind this view of the group. */
    @Override
    void close();
}
