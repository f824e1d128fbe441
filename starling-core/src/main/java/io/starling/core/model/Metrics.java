package io.starling.core.model;

/**
 * Evaluation of a model on a dataset.
 *
 * @param accuracy fraction of examples classified correctly, in [0, 1]
 * @param loss mean cross-entropy loss
 * @param samples examples evaluated
 */
public record Metrics(double accuracy, double loss, long samples) {
}
