package io.starling.core.model.nn;

import java.util.SplittableRandom;

/**
 * A layer with no parameters of its own (activations, pooling, reshaping, dropout): it takes no
 * slice of the flat parameter array, so there is nothing to initialise.
 */
public interface ParameterFreeLayer extends Layer {
    @Override
    default int paramCount() {
        return 0;
    }

    @Override
    default void initParams(float[] params, int offset, SplittableRandom rng) {
    }
}
