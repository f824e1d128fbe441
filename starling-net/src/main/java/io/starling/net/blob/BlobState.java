package io.starling.net.blob;

/**
 * How much of a blob a store holds.
 *
 * @param status whether nothing, an unfinished upload or the verified blob is held
 * @param committedBytes bytes held: the partial length, or the blob size when complete
 * @param sizeBytes declared total size of a partial upload, or the size of a complete blob; 0 when absent
 */
public record BlobState(Status status, long committedBytes, long sizeBytes) {
    /** Whether nothing, an unfinished upload, or the verified blob is held. */
    public enum Status { ABSENT, PARTIAL, COMPLETE }

    static BlobState absent() {
        return new BlobState(Status.ABSENT, 0, 0);
    }
}
