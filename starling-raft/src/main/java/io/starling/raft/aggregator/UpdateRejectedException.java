package io.starling.raft.aggregator;

import io.starling.core.StarlingException;
import io.starling.core.aggregate.StaleUpdateException;

/**
 * An update the aggregator will never absorb; resending it will not help. {@link Reason} says
 * what the client should do instead: fix a {@link Reason#MALFORMED} model (wrong dimension, NaN
 * weights), or fetch the latest model and train again after a {@link Reason#STALE} refusal.
 */
public final class UpdateRejectedException extends StarlingException {
    /** Why the update was refused. */
    public enum Reason {
        /** The model itself is unusable (wrong dimension, non-finite values, unknown task). */
        MALFORMED,
        /**
         * Its base version is more than {@code maxStaleness} versions behind, newer than the chain,
         * or its model is no longer available: train again on the latest model.
         */
        STALE
    }

    private final Reason reason;

    /** A {@link Reason#MALFORMED} refusal. */
    public UpdateRejectedException(String updateId, String why) {
        this(updateId, Reason.MALFORMED, why);
    }

    public UpdateRejectedException(String updateId, Reason reason, String why) {
        super("update '" + updateId + "' rejected: " + why);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /** A {@link Reason#STALE} refusal carrying core's explanation (which says to retrain). */
    public static UpdateRejectedException stale(String updateId, StaleUpdateException cause) {
        UpdateRejectedException e = new UpdateRejectedException(updateId, Reason.STALE, cause.getMessage());
        e.initCause(cause);
        return e;
    }

    public Reason reason() {
        return reason;
    }

    /** True when the client should train again on the latest model rather than give up. */
    public boolean isStale() {
        return reason == Reason.STALE;
    }
}
