package io.starling.core.model;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import java.util.SplittableRandom;

/** Small seeded problems with known answers for model tests. */
final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * {@code classes} Gaussian blobs (σ = 0.5) centred on {@code 3·e_c}, the scaled unit vectors
     * (needs {@code dim >= classes}): linearly separable with a wide margin. The seed draws only
     * the noise, so two seeds give a training and a test set of the same problem.
     */
    static Dataset blobs(int n, int dim, int classes, long seed) {
        if (dim < classes) {
            throw new IllegalArgumentException("blobs need dim >= classes");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (j == y[i] ? 3f : 0f) + (float) (rng.nextGaussian() * 0.5);
            }
        }
        return new ArrayDataset(x, y, dim, classes);
    }

    /** XOR of the signs of two uniform coordinates in [-1, 1]: not linearly separable. */
    static Dataset xor(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (rng.nextDouble() * 2 - 1);
            float b = (float) (rng.nextDouble() * 2 - 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = (a > 0) == (b > 0) ? 0 : 1;
        }
        return new ArrayDataset(x, y, 2, 2);
    }
}
