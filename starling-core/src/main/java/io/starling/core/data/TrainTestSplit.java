package io.starling.core.data;

/** A training set and the held-out test set it is evaluated on. */
public record TrainTestSplit(Dataset train, Dataset test) {
    public TrainTestSplit {
        if (train.featureDim() != test.featureDim()) {
            throw new IllegalArgumentException("train has " + train.featureDim()
                    + " features per example but test has " + test.featureDim());
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train has " + train.numClasses()
                    + " classes but test has " + test.numClasses());
        }
    }
}
