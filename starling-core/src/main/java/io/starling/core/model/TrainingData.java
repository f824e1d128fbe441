package io.starling.core.model;

import io.starling.core.data.Dataset;
import java.util.SplittableRandom;

/**
 * What every {@link Model} engine does with a dataset before and while training on it: the
 * boundary check of untrusted data, and the seeded epoch shuffle. Shared so that the built-in and
 * the optional DJL engine reject the same inputs with the same messages and, given the same seed,
 * visit examples in the same order (their parity test depends on it).
 */
public final class TrainingData {
    private TrainingData() {
    }

    /**
     * Checks that {@code data} is non-empty, has {@code inputDim} features and at most
     * {@code numClasses} classes, and that rows from {@code fromRow} on hold only finite features.
     *
     * @param spec the model's spec, for the message
     * @param action what was about to happen ("train", "evaluate"), for the message
     * @throws IncompatibleDatasetException naming the model, the problem and where
     */
    public static void requireCompatible(Dataset data, String spec, int inputDim, int numClasses,
                                         String action, int fromRow) {
        if (data.size() == 0) {
            throw new IncompatibleDatasetException("cannot " + action + " " + spec + " on an empty dataset");
        }
        if (data.featureDim() != inputDim) {
            throw new IncompatibleDatasetException("cannot " + action + " " + spec + ": it reads "
                    + inputDim + " features per example but the dataset has " + data.featureDim()
                    + " (build the model for this dataset's feature count)");
        }
        if (data.numClasses() > numClasses) {
            throw new IncompatibleDatasetException("cannot " + action + " " + spec + ": it predicts "
                    + numClasses + " classes but the dataset has " + data.numClasses());
        }
        final float[] x = data.features();
        final int len = data.size() * data.featureDim();
        for (int i = fromRow * data.featureDim(); i < len; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IncompatibleDatasetException("cannot " + action + " " + spec + ": feature "
                        + (i % data.featureDim()) + " of example " + (i / data.featureDim()) + " is " + x[i]);
            }
        }
    }

    /** Fisher-Yates shuffle of {@code order} in place. */
    public static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
