package io.starling.core.model;

/**
 * Observes a training call step by step, e.g. to drive a progress bar. Called on the training
 * thread after every minibatch step; must be cheap and must not touch the model.
 */
@FunctionalInterface
public interface TrainListener {
    /** A listener that ignores every step. */
    TrainListener NONE = (stepsDone, totalSteps, samplesDone) -> { };

    /**
     * @param stepsDone minibatch steps finished so far in this call
     * @param totalSteps steps this call will take in all
     * @param samplesDone examples processed so far in this call
     */
    void onStep(long stepsDone, long totalSteps, long samplesDone);
}
