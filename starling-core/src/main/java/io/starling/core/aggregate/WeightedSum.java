package io.starling.core.aggregate;

import io.starling.core.param.NonFiniteValueException;

/**
 * The kernel behind every averaging rule: {@code out = sum_i c[i] * x[i]} over raw float arrays.
 *
 * <p>Memory-bound by design, so it is organised around memory traffic: the coordinates are cut
 * into blocks small enough that the block's accumulator stays in the L2 cache, and each pass over
 * a block folds in four inputs at once. Every input float is then read from memory exactly once
 * and the output written once, which is the minimum any implementation can do. Blocks are long
 * (64 KiB of each input) so hardware prefetchers see long sequential runs; four inputs per pass
 * beat two (more accumulator traffic) and eight (too many concurrent streams) in measurements.
 *
 * <p>Finiteness is checked on the output, not the inputs: with positive coefficients a NaN or
 * infinity in any input makes its output coordinate non-finite, so a finite output proves finite
 * inputs and saves a second pass over all the update data. Only when the output is bad are the
 * inputs scanned, to name the culprit.
 */
final class WeightedSum {
    /** Coordinates per block: a 64 KiB accumulator, well inside a typical 512 KiB-2 MiB L2. */
    static final int DEFAULT_BLOCK = 16384;

    private WeightedSum() {
    }

    /**
     * {@code sum_i coeffs[i] * xs[i]}, rejecting non-finite inputs.
     *
     * @param rule rule name for error messages
     * @param xs inputs, all of length {@code dim}
     * @param coeffs one coefficient per input
     */
    static float[] combine(String rule, float[][] xs, double[] coeffs, int dim) {
        float[] c = new float[coeffs.length];
        boolean allPositive = true;
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) coeffs[i];
            allPositive &= c[i] >= Float.MIN_NORMAL;
        }
        if (!allPositive) {
            requireFiniteInputs(rule, xs);
        }
        float[] out = compute(xs, c, dim, DEFAULT_BLOCK);
        for (int j = 0; j < dim; j++) {
            if (!Float.isFinite(out[j])) {
                requireFiniteInputs(rule, xs);
                throw new NonFiniteValueException(rule + " result (the weighted sum overflowed float range)",
                        j, out[j]);
            }
        }
        return out;
    }

    private static void requireFiniteInputs(String rule, float[][] xs) {
        for (int i = 0; i < xs.length; i++) {
            float[] x = xs[i];
            for (int j = 0; j < x.length; j++) {
                if (!Float.isFinite(x[j])) {
                    throw new NonFiniteValueException(rule + " contribution " + i, j, x[j]);
                }
            }
        }
    }

    /** The raw kernel, no checks; {@code block} is the number of coordinates per cache block. */
    static float[] compute(float[][] xs, float[] c, int dim, int block) {
        float[] out = new float[dim];
        int n = xs.length;
        for (int lo = 0; lo < dim; lo += block) {
            int hi = Math.min(dim, lo + block);
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                addFour(out, xs[i], xs[i + 1], xs[i + 2], xs[i + 3], c[i], c[i + 1], c[i + 2], c[i + 3], lo, hi);
            }
            for (; i < n; i++) {
                addOne(out, xs[i], c[i], lo, hi);
            }
        }
        return out;
    }

    private static void addFour(float[] out, float[] a, float[] b, float[] x, float[] d,
                                float ca, float cb, float cx, float cd, int lo, int hi) {
        for (int j = lo; j < hi; j++) {
            out[j] += ca * a[j] + cb * b[j] + cx * x[j] + cd * d[j];
        }
    }

    private static void addOne(float[] out, float[] a, float ca, int lo, int hi) {
        for (int j = lo; j < hi; j++) {
            out[j] += ca * a[j];
        }
    }
}
