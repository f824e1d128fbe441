package io.starling.core.model.nn;

import io.starling.core.model.TrainConfig;

/**
 * Updates a flat parameter array from its gradient. Stateful optimizers (momentum, Adam moments)
 * keep their state in arrays of the same layout and clear it in {@link #reset()}, which a model
 * calls at the start of every training call so that results depend only on the parameters, the
 * data and the config — never on earlier calls.
 */
public interface Optimizer {
    /** Forgets all state (velocities, moments, step counters). */
    void reset();

    /** One step: reads {@code grads}, updates {@code params} in place. */
    void step(float[] params, float[] grads, TrainConfig config);
}
