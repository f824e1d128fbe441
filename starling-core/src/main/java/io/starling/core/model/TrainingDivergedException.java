package io.starling.core.model;

import io.starling.core.StarlingException;

/**
 * Training produced a NaN or infinite loss. The model is left with the parameters it had before
 * the call, so the caller can retry with a smaller learning rate.
 */
public final class TrainingDivergedException extends StarlingException {
    private final long step;

    public TrainingDivergedException(String spec, long step, double loss, double learningRate) {
        super("training " + spec + " diverged at step " + step + " (loss " + loss
                + "); parameters were restored, lower the learning rate (was " + learningRate + ")");
        this.step = step;
    }

    /** The step (from 1) whose loss was not finite. */
    public long step() {
        return step;
    }
}
