package io.starling.raft.blob;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A {@link BlobReplicator} whose peers are {@link BlobStore}s registered by id: replicas in one
 * JVM register their own stores (and deregister on close, so a stopped replica is unreachable),
 * and replicas in separate processes on one machine can register each other's directories.
 * {@link #block}/{@link #unblock} cut a peer off to inject faults. The receiving store verifies
 * the digest, as a remote replica would.
 */
public final class LocalBlobReplicator implements BlobReplicator {
    private final Map<String, BlobStore> stores = new ConcurrentHashMap<>();
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final Executor executor;

    /** @param executor runs transfers, so a slow disk does not block the caller */
    public LocalBlobReplicator(Executor executor) {
        this.executor = executor;
    }

    public void register(String peerId, BlobStore store) {
        stores.put(peerId, store);
    }

    public void deregister(String peerId) {
        stores.remove(peerId);
    }

    /** Makes {@code peerId} unreachable until {@link #unblock}. */
    public void block(String peerId) {
        blocked.add(peerId);
    }

    public void unblock(String peerId) {
        blocked.remove(peerId);
    }

    @Override
    public CompletableFuture<Void> push(String peerId, String digest, byte[] bytes) {
        return CompletableFuture.runAsync(() -> reachable(peerId).put(digest, bytes), executor);
    }

    @Override
    public CompletableFuture<byte[]> fetch(String peerId, String digest) {
        return CompletableFuture.supplyAsync(() -> reachable(peerId).get(digest)
                .orElseThrow(() -> new BlobException.NotFound(digest, "peer " + peerId)), executor);
    }

    private BlobStore reachable(String peerId) {
        if (blocked.contains(peerId)) {
            throw new BlobException.Unavailable(peerId, "blocked by fault injection");
        }
        BlobStore store = stores.get(peerId);
        if (store == null) {
            throw new BlobException.Unavailable(peerId, "not registered (stopped or unknown)");
        }
        return store;
    }
}
