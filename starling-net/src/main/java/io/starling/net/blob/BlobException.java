package io.starling.net.blob;

import io.starling.core.StarlingException;

/**
 * Why a blob could not be stored, resumed or read. The {@link Kind} says which rule was broken so
 * that the gRPC layer can map it to a status code in one place.
 */
public final class BlobException extends StarlingException {
    /** The rule a blob operation broke. */
    public enum Kind {
        /** No complete blob with this digest is held. */
        NOT_FOUND,
        /** The stored bytes no longer hash to their digest; the file was quarantined. */
        CORRUPT,
        /** An upload finished but its bytes hash to a different digest; the partial was discarded. */
        DIGEST_MISMATCH,
        /** Another upload of the same digest is running; retry later. */
        UPLOAD_IN_PROGRESS,
        /** The declared size exceeds the store's limit. */
        TOO_LARGE,
        /** A resume offset lies beyond the bytes held, or data overruns the declared size. */
        BAD_OFFSET,
        /** The declared size contradicts the size of an existing partial upload or blob. */
        SIZE_CONFLICT,
        /** The file system failed. */
        IO
    }

    private final Kind kind;

    public BlobException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BlobException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
