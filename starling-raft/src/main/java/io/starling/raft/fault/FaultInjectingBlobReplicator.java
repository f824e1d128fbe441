package io.starling.raft.fault;

import io.starling.net.fault.FaultInjector;
import io.starling.raft.blob.BlobException;
import io.starling.raft.blob.BlobReplicator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * <b>For fault testing.</b> One replica's {@link BlobReplicator} seen through the fault rules of a
 * {@link FaultInjector}, so model blobs obey the same partition as Raft traffic
 * ({@link RaftFaultInjection}): a checkpoint blob cannot reach, or be fetched from, a peer the
 * replica is cut off from.
 *
 * <p>A push is a message from this replica to the peer; a fetch is a request to the peer whose
 * answer comes back, so it needs both directions open. A dropped transfer fails at once with
 * {@link BlobException.Unavailable}, exactly as an unreachable peer does; a delayed one starts
 * {@code delayMs} late. The wrapped replicator is untouched, so healing the rules restores it.
 */
public final class FaultInjectingBlobReplicator implements BlobReplicator {
    private final String self;
    private final BlobReplicator delegate;
    private final FaultInjector faults;
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param self the id of the replica that uses this replicator (the sending side of a push)
     * @param delegate the real replicator
     * @param faults the rules to apply, keyed by replica id
     */
    public FaultInjectingBlobReplicator(String self, BlobReplicator delegate, FaultInjector faults) {
        this.self = Objects.requireNonNull(self, "self");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    @Override
    public CompletableFuture<Void> push(String peerId, String digest, byte[] bytes) {
        return afterFaults(peerId, "push of blob " + shortDigest(digest), false,
                () -> delegate.push(peerId, digest, bytes));
    }

    @Override
    public CompletableFuture<byte[]> fetch(String peerId, String digest) {
        return afterFaults(peerId, "fetch of blob " + shortDigest(digest), true,
                () -> delegate.fetch(peerId, digest));
    }

    /** Blob transfers this wrapper has failed so far. */
    public long droppedTransfers() {
        return dropped.get();
    }

    private <T> CompletableFuture<T> afterFaults(String peerId, String what, boolean roundTrip,
                                                 Supplier<CompletableFuture<T>> transfer) {
        FaultInjector.Decision out = faults.decide(self, peerId);
        FaultInjector.Decision back = roundTrip ? faults.decide(peerId, self) : out;
        if (out.drop() || back.drop()) {
            dropped.incrementAndGet();
            String from = out.drop() ? self : peerId;
            String to = out.drop() ? peerId : self;
            return CompletableFuture.failedFuture(new BlobException.Unavailable(peerId,
                    new LinkCutException(from, to, what).getMessage()));
        }
        long delayMs = out.delayMs() + (roundTrip ? back.delayMs() : 0);
        if (delayMs == 0) {
            return transfer.get();
        }
        Executor later = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(transfer, later).thenCompose(f -> f);
    }

    private static String shortDigest(String digest) {
        return digest == null || digest.length() <= 12 ? String.valueOf(digest) : digest.substring(0, 12);
    }
}
