package io.starling.raft.blob;

import java.util.concurrent.CompletableFuture;

/**
 * Moves model blobs between replicas, outside the Raft log. The leader {@link #push}es a new
 * checkpoint's blob to its peers and proposes the checkpoint only when a majority hold it; a
 * replica that lacks a blob (it was down, or its data directory was wiped) {@link #fetch}es it.
 *
 * <p>Implementations: {@link LocalBlobReplicator} (peers' stores reachable in-process or through
 * a shared directory) and, in the networked node, the gRPC {@code Blob} service.
 */
public interface BlobReplicator {
    /**
     * Sends a blob to {@code peerId}, which verifies the digest and stores it. Completes normally
     * only once the peer holds the verified blob; fails with a {@link BlobException} otherwise.
     */
    CompletableFuture<Void> push(String peerId, String digest, byte[] bytes);

    /**
     * Fetches a blob from {@code peerId}; the returned bytes hash to {@code digest} (verified by
     * the implementation). Fails with {@link BlobException.NotFound} if the peer lacks it.
     */
    CompletableFuture<byte[]> fetch(String peerId, String digest);
}
