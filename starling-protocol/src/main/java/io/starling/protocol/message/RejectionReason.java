package io.starling.protocol.message;

/** Why a receiver refused a message; travels in {@link UpdateRejected} and in observations. */
public enum RejectionReason {
    /** The message names a task this node does not serve. */
    UNKNOWN_TASK,
    /** The parameter vector has the wrong number of entries for the task's model. */
    DIMENSION_MISMATCH,
    /** A parameter, or the reported loss, is NaN or infinite. */
    NON_FINITE,
    /** The update's base version lags the current version by more than the staleness bound. */
    TOO_STALE,
    /** The update claims a base version the receiver has not produced yet. */
    FUTURE_VERSION,
    /** An update with this id was already accepted (resends are idempotent). */
    DUPLICATE_UPDATE,
    /** The sender was not asked to contribute to the current synchronous round. */
    NOT_SELECTED,
    /** A model older than the one the receiver already holds. */
    OUTDATED_MODEL,
    /** This node's role does not handle this kind of message. */
    UNEXPECTED_MESSAGE
}
