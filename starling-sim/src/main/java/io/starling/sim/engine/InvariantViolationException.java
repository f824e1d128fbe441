package io.starling.sim.engine;

import io.starling.core.StarlingException;

/**
 * A simulation broke one of its invariants (a model version went backwards, a message reached a
 * crashed node, ...). The message names the seed and virtual time so the run can be replayed.
 */
public final class InvariantViolationException extends StarlingException {
    private final long seed;
    private final long atMs;

    public InvariantViolationException(long seed, long atMs, String what) {
        super("invariant violated at virtual time " + atMs + " ms (replay with seed " + seed + "): " + what);
        this.seed = seed;
        this.atMs = atMs;
    }

    public long seed() {
        return seed;
    }

    public long atMs() {
        return atMs;
    }
}
