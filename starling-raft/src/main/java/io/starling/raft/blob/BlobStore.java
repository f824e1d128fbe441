package io.starling.raft.blob;

import java.util.Optional;

/**
 * Content-addressed storage of model blobs on one replica. {@link #put} verifies that the bytes
 * hash to the digest before anything is kept, and {@link #get} verifies again on read, so a
 * blob a replica reports as held is a blob it has verified.
 */
public interface BlobStore {
    /**
     * Stores {@code bytes} under {@code digest}; idempotent.
     *
     * @throws BlobException.DigestMismatch if the bytes do not hash to {@code digest}
     * @throws BlobException.TooLarge if the blob exceeds the store's limit
     */
    void put(String digest, byte[] bytes);

    /** The verified bytes, or empty when absent; a corrupt file is deleted and reported absent. */
    Optional<byte[]> get(String digest);

    boolean contains(String digest);
}
