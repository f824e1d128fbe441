package io.starling.sim.engine;

import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;

/**
 * Runs a node's local training for real: the simulator only decides how long it takes in virtual
 * time (from the device's compute speed and {@link TrainResult#samples()}) and what it costs.
 */
@FunctionalInterface
public interface LocalTrainer {
    /** The trained parameters and what training did. */
    record Outcome(ParamVector model, TrainResult result) {
    }

    /**
     * Trains a copy of {@code base} on node {@code index}'s data as it stands at {@code nowMs}.
     * Must not modify {@code base}.
     */
    Outcome train(int index, ParamVector base, TrainConfig config, long nowMs);
}
