package io.starling.net.transport;

import io.starling.core.StarlingException;

/**
 * A request refused at the boundary, with the rule it broke. Services turn it into a gRPC status
 * whose description is this message, so the sender learns exactly what to fix.
 */
public final class RejectedRequestException extends StarlingException {
    /** The rule a request broke; each maps to one gRPC status code. */
    public enum Reason {
        /** A field is missing, out of range or badly formed. */
        MALFORMED,
        /** The task id names no task this node serves. */
        UNKNOWN_TASK,
        /** The model does not have the task's parameter count. */
        WRONG_DIMENSION,
        /** The model holds NaN or infinite values. */
        NON_FINITE,
        /** The update's base version is too far behind the current version (or ahead of it). */
        STALE,
        /** The referenced blob is absent or only partly uploaded. */
        BLOB_NOT_READY,
        /** The request does not fit this node's current state (e.g. wrong round, wrong role). */
        WRONG_STATE,
        /** A required signature is missing or invalid. */
        UNAUTHENTICATED,
        /** The node is at capacity; retry later. */
        OVERLOADED
    }

    private final Reason reason;

    public RejectedRequestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static RejectedRequestException malformed(String message) {
        return new RejectedRequestException(Reason.MALFORMED, message);
    }
}
