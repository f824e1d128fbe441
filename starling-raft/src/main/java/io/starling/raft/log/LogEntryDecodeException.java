package io.starling.raft.log;

import io.starling.core.StarlingException;

/**
 * Bytes that claim to be a {@link LogEntry} but are not one Starling can read: empty, truncated,
 * written by an unknown format version, of an unknown type, over a size limit, or with a field
 * that breaks an entry's invariants. A replica never applies such bytes; if one shows up in a
 * committed log the data directory is corrupt or was written by a newer release.
 */
public final class LogEntryDecodeException extends StarlingException {
    /** What kind of defect was found, so callers can react without parsing messages. */
    public enum Reason { EMPTY, UNSUPPORTED_FORMAT, UNKNOWN_TYPE, TRUNCATED, TRAILING_BYTES, LIMIT_EXCEEDED, INVALID_FIELD }

    private final Reason reason;

    public LogEntryDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LogEntryDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
