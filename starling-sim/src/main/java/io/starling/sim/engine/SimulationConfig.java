package io.starling.sim.engine;

import java.util.List;

/**
 * How one simulation runs.
 *
 * @param seed root of every random stream in the run
 * @param durationMs virtual time to simulate
 * @param reportIntervalMs virtual time between {@link SimObserver#onTick} calls
 * @param checkInvariants check the built-in and {@code extraInvariants} after every event
 * @param extraInvariants further properties to check after every event
 */
public record SimulationConfig(long seed, long durationMs, long reportIntervalMs, boolean checkInvariants,
                               List<Invariant> extraInvariants) {
    public SimulationConfig {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("durationMs must be > 0, got " + durationMs);
        }
        if (reportIntervalMs <= 0) {
            throw new IllegalArgumentException("reportIntervalMs must be > 0, got " + reportIntervalMs);
        }
        extraInvariants = List.copyOf(extraInvariants);
    }

    public static SimulationConfig of(long seed, long durationMs, long reportIntervalMs) {
        return new SimulationConfig(seed, durationMs, reportIntervalMs, true, List.of());
    }
}
