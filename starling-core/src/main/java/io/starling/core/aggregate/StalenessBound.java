package io.starling.core.aggregate;

/**
 * The bounded-staleness rule of asynchronous aggregation (FedAsync, FedBuff): an update trained
 * from version {@code tau} may join the global model at version {@code t} only if
 * {@code 0 <= t - tau <= maxStaleness}. Its staleness {@code t - tau} is what the rules'
 * {@link StalenessFunction}s discount. Shared by the protocol core's asynchronous server and the
 * replicated aggregator, so both refuse the same updates.
 *
 * @param maxStaleness the largest accepted staleness in versions, >= 0
 */
public record StalenessBound(long maxStaleness) {
    public StalenessBound {
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("maxStaleness must be >= 0 versions, got " + maxStaleness);
        }
    }

    /**
     * The staleness of an update trained from {@code baseVersion} arriving at {@code currentVersion}.
     *
     * @throws StaleUpdateException ({@link StaleUpdateException.Kind#FUTURE_VERSION} or
     *     {@link StaleUpdateException.Kind#TOO_STALE}) when the update may not be aggregated
     */
    public long stalenessOf(long baseVersion, long currentVersion) {
        if (baseVersion > currentVersion) {
            throw new StaleUpdateException(StaleUpdateException.Kind.FUTURE_VERSION, baseVersion, currentVersion,
                    "base version " + baseVersion + " is newer than the current version " + currentVersion);
        }
        long staleness = currentVersion - baseVersion;
        if (staleness > maxStaleness) {
            throw new StaleUpdateException(StaleUpdateException.Kind.TOO_STALE, baseVersion, currentVersion,
                    "update is " + staleness + " versions behind (base " + baseVersion + "), more than maxStaleness "
                            + maxStaleness);
        }
        return staleness;
    }

    /** The oldest base version still accepted at {@code currentVersion} (never below 0). */
    public long oldestAcceptedBase(long currentVersion) {
        return Math.max(0, currentVersion - maxStaleness);
    }
}
