package io.starling.raft.blob;

import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.transport.Backoff;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransferFailedException;
import io.starling.protocol.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@link BlobReplicator} over {@code starling-net}'s gRPC {@code Blob} service: a push is a
 * resumable chunked upload that the peer verifies against the digest before it stores the blob;
 * a fetch downloads into this replica's store (verified there) and reads it back. Retries are
 * short, so a dead peer fails within a few seconds and never counts towards the majority.
 */
public final class GrpcBlobReplicator implements BlobReplicator {
    /** A few quick retries: the leader waits for a majority, not for every peer. */
    private static final Backoff QUICK = new Backoff(50, 500, 2.0, 3);

    private final PeerChannels channels;
    private final LocalNode self;
    private final Function<String, Optional<String>> addressOf;
    private final NetBlobStoreAdapter local;
    private final Executor executor;

    /**
     * @param peerAddresses {@code host:port} of each peer's Blob service, by replica id
     * @param local this replica's store (downloads land here)
     * @param executor runs the blocking transfers
     */
    public GrpcBlobReplicator(PeerChannels channels, LocalNode self, Map<String, String> peerAddresses,
                              NetBlobStoreAdapter local, Executor executor) {
        this(channels, self, Map.copyOf(peerAddresses)::get, local, executor);
    }

    /**
     * @param addressOf {@code host:port} of a peer's Blob service by replica id, looked up on every
     *     transfer (so members added at run time are reachable)
     */
    public GrpcBlobReplicator(PeerChannels channels, LocalNode self, Function<String, String> addressOf,
                              NetBlobStoreAdapter local, Executor executor) {
        this.channels = channels;
        this.self = self;
        this.addressOf = id -> Optional.ofNullable(addressOf.apply(id));
        this.local = local;
        this.executor = executor;
    }

    private BlobClient client(String peerId) {
        String address = addressOf.apply(peerId).orElseThrow(
                () -> new BlobException.Unavailable(peerId, "no Blob service address known"));
        return new BlobClient(channels.to(NodeId.of(peerId), address), self, CallTimeouts.defaults(), QUICK,
                BlobService.CHUNK_BYTES, 0, peerId.hashCode());
    }

    @Override
    public CompletableFuture<Void> push(String peerId, String digest, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                BlobClient.UploadResult result = client(peerId).upload(bytes);
                if (!result.digest().hex().equals(digest)) {
                    throw new BlobException.DigestMismatch(digest, result.digest().hex());
                }
            } catch (TransferFailedException e) {
                throw new BlobException.Unavailable(peerId, e.getMessage());
            }
        }, executor);
    }

    @Override
    public CompletableFuture<byte[]> fetch(String peerId, String digest) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                client(peerId).downloadInto(local.netStore(), BlobDigest.parse(digest));
            } catch (TransferFailedException e) {
                throw new BlobException.NotFound(digest, "peer " + peerId + " (" + e.getMessage() + ")");
            }
            return local.get(digest).orElseThrow(() -> new BlobException.NotFound(digest, "local store after download"));
        }, executor);
    }
}
