package io.starling.net.transport;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} (0-based) waits a uniform random time in
 * {@code [0, min(maxMs, initialMs * multiplier^n)]}, so retrying clients spread out instead of
 * hammering a recovering server in lockstep.
 *
 * @param initialMs ceiling of the first wait, ms
 * @param maxMs largest ceiling, ms
 * @param multiplier growth of the ceiling per attempt, >= 1
 * @param maxAttempts attempts in total including the first, >= 1
 */
public record Backoff(long initialMs, long maxMs, double multiplier, int maxAttempts) {
    public Backoff {
        if (initialMs < 1 || maxMs < initialMs || !(multiplier >= 1) || maxAttempts < 1) {
            throw new IllegalArgumentException("invalid backoff " + initialMs + "/" + maxMs + "/" + multiplier
                    + "/" + maxAttempts + ": need 1 <= initialMs <= maxMs, multiplier >= 1, maxAttempts >= 1");
        }
    }

    /** 100 ms doubling to 5 s, 8 attempts. */
    public static Backoff defaults() {
        return new Backoff(100, 5_000, 2.0, 8);
    }

    /** The ceiling of the wait before retry number {@code attempt} (0-based), ms. */
    public long ceilingMs(int attempt) {
        double ceiling = initialMs * Math.pow(multiplier, attempt);
        return (long) Math.min(maxMs, ceiling);
    }

    /** A jittered wait before retry number {@code attempt}, ms. */
    public long delayMs(int attempt, RandomGenerator random) {
        return random.nextLong(ceilingMs(attempt) + 1);
    }
}
