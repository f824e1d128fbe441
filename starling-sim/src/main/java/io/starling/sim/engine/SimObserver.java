package io.starling.sim.engine;

import io.starling.core.param.ParamVector;

/** Receives what a run produces, to turn it into reports. All callbacks run on the simulation thread. */
public interface SimObserver {
    /** Node {@code index} committed {@code version} of its model at {@code nowMs}. Do not modify {@code model}. */
    default void onCommit(int index, long version, ParamVector model, double age, long nowMs) {
    }

    /**
     * Node {@code index} finished local training of {@code samples} examples; {@code staleness} is
     * how many model versions were committed anywhere while it trained.
     */
    default void onTrainingDone(int index, long samples, long staleness, long nowMs) {
    }

    /** Node {@code index} reported an observation (staleness of an accepted update, a mode switch, ...). */
    default void onReport(int index, io.starling.protocol.Observation observation, long nowMs) {
    }

    /** A reporting instant (every report interval, and once at the end of the run). */
    default void onTick(SimulationView view) {
    }

    SimObserver NONE = new SimObserver() {
    };
}
