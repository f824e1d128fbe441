package io.starling.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A change in the data-generating process at a point in time, applied by a {@link DataStream}
 * to every row that arrives at or after {@link #atMs()}: the "concept drift" that makes a model
 * trained on old sensor data go stale.
 */
public sealed interface ConceptDrift {
    /** Stream time (ms, same clock as the stream's) from which rows are changed. */
    long atMs();

    /** The label a row of class {@code label} carries after this drift. */
    int mapLabel(int label);

    /** Changes the {@code dim} features of one row in place, starting at {@code offset}. */
    void shiftFeatures(float[] features, int offset, int dim);

    /**
     * Real concept drift: what used to be class {@code c} is now class {@code permutation[c]}
     * (inputs unchanged, the mapping from input to label moves).
     *
     * @param permutation a permutation of {@code 0..numClasses-1}
     */
    record LabelPermutation(long atMs, int[] permutation) implements ConceptDrift {
        public LabelPermutation {
            permutation = permutation.clone();
            boolean[] seen = new boolean[permutation.length];
            for (int p : permutation) {
                if (p < 0 || p >= permutation.length || seen[p]) {
                    throw new IllegalArgumentException("not a permutation of 0.." + (permutation.length - 1)
                            + ": " + Arrays.toString(permutation));
                }
                seen[p] = true;
            }
        }

        /** A random permutation of {@code numClasses} labels that moves at least two of them. */
        public static LabelPermutation random(long atMs, int numClasses, long seed) {
            if (numClasses < 2) {
                throw new IllegalArgumentException("need >= 2 classes to permute, got " + numClasses);
            }
            SplittableRandom rng = new SplittableRandom(seed);
            int[] p = new int[numClasses];
            for (int i = 0; i < numClasses; i++) {
                p[i] = i;
            }
            do {
                for (int i = numClasses - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = p[i];
                    p[i] = p[j];
                    p[j] = t;
                }
            } while (isIdentity(p));
            return new LabelPermutation(atMs, p);
        }

        private static boolean isIdentity(int[] p) {
            for (int i = 0; i < p.length; i++) {
                if (p[i] != i) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int[] permutation() {
            return permutation.clone();
        }

        @Override
        public int mapLabel(int label) {
            if (label >= permutation.length) {
                throw new IllegalArgumentException("label " + label + " is outside the permuted " + permutation.length + " classes");
            }
            return permutation[label];
        }

        @Override
        public void shiftFeatures(float[] features, int offset, int dim) {
        }
    }

    /**
     * Covariate shift: every feature j moves by {@code offset[j]} (sensor recalibration, a new
     * environment); labels unchanged.
     */
    record FeatureShift(long atMs, float[] offset) implements ConceptDrift {
        public FeatureShift {
            offset = offset.clone();
            for (int j = 0; j < offset.length; j++) {
                if (!Float.isFinite(offset[j])) {
                    throw new IllegalArgumentException("shift of feature " + j + " is " + offset[j]);
                }
            }
        }

        /** The same shift {@code delta} on each of {@code dim} features. */
        public static FeatureShift uniform(long atMs, int dim, float delta) {
            float[] o = new float[dim];
            Arrays.fill(o, delta);
            return new FeatureShift(atMs, o);
        }

        @Override
        public float[] offset() {
            return offset.clone();
        }

        @Override
        public int mapLabel(int label) {
            return label;
        }

        @Override
        public void shiftFeatures(float[] features, int at, int dim) {
            if (dim != offset.length) {
                throw new IllegalArgumentException("shift has " + offset.length + " features but rows have " + dim);
            }
            for (int j = 0; j < dim; j++) {
                features[at + j] += offset[j];
            }
        }
    }
}
