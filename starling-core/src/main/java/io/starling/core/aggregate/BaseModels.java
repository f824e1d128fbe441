package io.starling.core.aggregate;

import io.starling.core.param.ParamVector;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The global models of the most recent versions, so an asynchronous update can be turned into a
 * delta against the very model it was trained from ({@link #deltaContribution}) instead of
 * against the current one, which would also count, with a minus sign, every global update the
 * client missed. Keeps at most {@code capacity} versions, dropping the oldest.
 *
 * <p>Not thread-safe: callers serialise access.
 */
public final class BaseModels {
    private final int capacity;
    private final TreeMap<Long, ParamVector> byVersion = new TreeMap<>();

    /** @param capacity most versions kept, >= 1 */
    public BaseModels(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A window large enough for every base {@code bound} accepts, but never above {@code cap} versions. */
    public static BaseModels forBound(StalenessBound bound, int cap) {
        return new BaseModels(bound.maxStaleness() >= cap ? cap : (int) bound.maxStaleness() + 1);
    }

    public int capacity() {
        return capacity;
    }

    /** Remembers the global model of {@code version} (not copied: callers must not modify it later). */
    public void put(long version, ParamVector model) {
        byVersion.put(version, model);
        while (byVersion.size() > capacity) {
            byVersion.pollFirstEntry();
        }
    }

    /** The model of {@code version}, if it is still in the window. */
    public Optional<ParamVector> get(long version) {
        return Optional.ofNullable(byVersion.get(version));
    }

    /**
     * A client's trained weights as the contribution they make on top of the model they were trained
     * from: the delta {@code trained - base}, tagged with its staleness so the rule can discount it.
     *
     * @param trained the client's weights after local training
     * @param base the global model of the version the client trained from
     * @param samples training examples behind the update, > 0
     * @param staleness current version minus base version, >= 0 (see {@link StalenessBound})
     */
    public static Contribution deltaContribution(ParamVector trained, ParamVector base, double samples, long staleness) {
        return Contribution.ofDelta(trained.minus(base), samples, staleness);
    }
}
