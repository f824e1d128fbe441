package io.starling.raft.blob;

import io.starling.net.blob.BlobDigest;
import java.util.Optional;

/**
 * The replica's {@link BlobStore} backed by {@code starling-net}'s content-addressed store, so the
 * blobs a leader pushes through the gRPC {@code Blob} service land where the replica reads them.
 */
public final class NetBlobStoreAdapter implements BlobStore {
    private final io.starling.net.blob.BlobStore store;

    public NetBlobStoreAdapter(io.starling.net.blob.BlobStore store) {
        this.store = store;
    }

    public io.starling.net.blob.BlobStore netStore() {
        return store;
    }

    @Override
    public void put(String digest, byte[] bytes) {
        BlobDigest expected = parse(digest);
        if (bytes.length > store.maxBlobBytes()) {
            throw new BlobException.TooLarge(bytes.length, store.maxBlobBytes());
        }
        BlobDigest actual = BlobDigest.of(bytes);
        if (!actual.equals(expected)) {
            throw new BlobException.DigestMismatch(digest, actual.hex());
        }
        store.put(bytes);
    }

    @Override
    public Optional<byte[]> get(String digest) {
        BlobDigest d = parse(digest);
        if (!store.contains(d)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.read(d));
        } catch (io.starling.net.blob.BlobException e) {
            if (e.kind() == io.starling.net.blob.BlobException.Kind.NOT_FOUND
                    || e.kind() == io.starling.net.blob.BlobException.Kind.CORRUPT) {
                return Optional.empty();
            }
            throw new BlobException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String digest) {
        return store.contains(parse(digest));
    }

    private static BlobDigest parse(String digest) {
        if (digest == null || !BlobDigest.isWellFormed(digest)) {
            throw new IllegalArgumentException("blob digest must be 64 lower-case hex chars, got '" + digest + "'");
        }
        return BlobDigest.parse(digest);
    }
}
