package io.starling.core.model;

/**
 * What one local training call did.
 *
 * @param samples examples processed (counting repeats over epochs)
 * @param steps minibatch steps taken
 * @param loss mean training loss over the call
 */
public record TrainResult(long samples, long steps, double loss) {
}
