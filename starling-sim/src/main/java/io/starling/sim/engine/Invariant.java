package io.starling.sim.engine;

/**
 * A property that must hold after every event. Return a description of the violation, or
 * {@code null} if the state is fine; the simulation turns a violation into an
 * {@link InvariantViolationException} carrying the seed.
 */
@FunctionalInterface
public interface Invariant {
    String check(SimulationView view);
}
