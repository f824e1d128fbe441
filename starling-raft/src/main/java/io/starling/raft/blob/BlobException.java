package io.starling.raft.blob;

import io.starling.core.StarlingException;

/**
 * A model blob could not be stored, found or trusted. Subclasses say which; all of them mean the
 * checkpoint that needs the blob must not be committed (leader side) or must be fetched again
 * from another replica (follower side).
 */
public class BlobException extends StarlingException {
    public BlobException(String message) {
        super(message);
    }

    public BlobException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The bytes do not hash to the digest they were offered under. */
    public static final class DigestMismatch extends BlobException {
        public DigestMismatch(String expected, String actual) {
            super("blob digest mismatch: expected " + expected + " but the bytes hash to " + actual
                    + "; the blob was corrupted in transit or on disk, fetch it again");
        }
    }

    /** The peer that should hold or receive a blob cannot be reached. */
    public static final class Unavailable extends BlobException {
        public Unavailable(String peerId, String why) {
            super("blob peer " + peerId + " is unavailable: " + why);
        }
    }

    /** No reachable holder has the blob. */
    public static final class NotFound extends BlobException {
        public NotFound(String digest, String where) {
            super("blob " + digest + " not found on " + where);
        }
    }

    /** The blob is larger than this store accepts. */
    public static final class TooLarge extends BlobException {
        public TooLarge(long bytes, long maxBytes) {
            super("blob of " + bytes + " bytes exceeds the limit of " + maxBytes + " bytes; raise maxBlobBytes if the model is really that large");
        }
    }
}
