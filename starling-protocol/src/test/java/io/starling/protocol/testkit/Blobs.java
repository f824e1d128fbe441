package io.starling.protocol.testkit;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import java.util.SplittableRandom;

/**
 * Three Gaussian blobs in four dimensions: a tiny classification task that logistic regression
 * learns to ~95% accuracy, with an optional skew towards one class to make client data non-IID.
 */
public final class Blobs {
    public static final int FEATURES = 4;
    public static final int CLASSES = 3;

    private Blobs() {
    }

    /** {@code n} examples; a fraction {@code skew} of them belong to {@code majorityClass}. */
    public static Dataset sample(int n, int majorityClass, double skew, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextDouble() < skew ? majorityClass : random.nextInt(CLASSES);
            double angle = 2 * Math.PI * c / CLASSES;
            x[i * FEATURES] = (float) (3 * Math.cos(angle) + random.nextGaussian());
            x[i * FEATURES + 1] = (float) (3 * Math.sin(angle) + random.nextGaussian());
            x[i * FEATURES + 2] = (float) random.nextGaussian();
            x[i * FEATURES + 3] = (float) random.nextGaussian();
            y[i] = c;
        }
        return new ArrayDataset(x, y, FEATURES, CLASSES);
    }
}
