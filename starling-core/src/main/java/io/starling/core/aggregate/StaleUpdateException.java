package io.starling.core.aggregate;

import io.starling.core.StarlingException;

/**
 * An asynchronous update that cannot be aggregated against its base version: the base is too old
 * ({@link Kind#TOO_STALE}), not yet known to the aggregator ({@link Kind#FUTURE_VERSION}), or its
 * model is no longer available ({@link Kind#BASE_UNAVAILABLE}). Resending the same update will
 * never help; the client should fetch the latest model and train again.
 */
public final class StaleUpdateException extends StarlingException {
    /** Why the base version cannot be used. */
    public enum Kind {
        /** More than {@code maxStaleness} versions behind the current version. */
        TOO_STALE,
        /** Newer than the aggregator's current version. */
        FUTURE_VERSION,
        /** Within the bound, but the base version's model cannot be loaded (pruned or lost). */
        BASE_UNAVAILABLE
    }

    private final Kind kind;
    private final long baseVersion;
    private final long currentVersion;

    public StaleUpdateException(Kind kind, long baseVersion, long currentVersion, String detail) {
        super(detail + "; fetch the latest model (version " + currentVersion + ") and train again");
        this.kind = kind;
        this.baseVersion = baseVersion;
        this.currentVersion = currentVersion;
    }

    public Kind kind() {
        return kind;
    }

    /** The version the update was trained from. */
    public long baseVersion() {
        return baseVersion;
    }

    /** The aggregator's version when it refused the update. */
    public long currentVersion() {
        return currentVersion;
    }
}
