package io.starling.core.aggregate;

/**
 * Per-coordinate order statistics over {@code n} vectors, the kernel of the median and trimmed
 * mean rules.
 *
 * <p>Reading coordinate {@code j} of {@code n} separate arrays touches {@code n} cache lines per
 * value, so the kernel first transposes a block of coordinates into one reusable tile
 * ({@code tile[b * n + i] = xs[i][lo + b]}, each input read sequentially), then runs an in-place
 * selection on each coordinate's contiguous run of {@code n} values. Small runs are insertion
 * sorted; larger ones use quickselect with a median-of-three pivot. No boxing, no per-coordinate
 * allocation.
 */
final class CoordinateSelection {
    private static final int BLOCK = 256;
    private static final int INSERTION_SORT_MAX = 24;

    private CoordinateSelection() {
    }

    /** Coordinate-wise median; for even {@code n}, the mean of the two middle values. */
    static float[] median(float[][] xs, int dim) {
        int n = xs.length;
        float[] out = new float[dim];
        float[] tile = new float[BLOCK * n];
        for (int lo = 0; lo < dim; lo += BLOCK) {
            int width = transpose(xs, lo, Math.min(dim, lo + BLOCK), tile);
            for (int b = 0; b < width; b++) {
                int from = b * n;
                int mid = from + n / 2;
                select(tile, from, from + n - 1, mid);
                if ((n & 1) == 1) {
                    out[lo + b] = tile[mid];
                } else {
                    float below = tile[from];
                    for (int i = from + 1; i < mid; i++) {
                        below = Math.max(below, tile[i]);
                    }
                    out[lo + b] = (float) (((double) below + tile[mid]) / 2);
                }
            }
        }
        return out;
    }

    /** Coordinate-wise mean after dropping the {@code trim} smallest and {@code trim} largest values. */
    static float[] trimmedMean(float[][] xs, int dim, int trim) {
        int n = xs.length;
        int kept = n - 2 * trim;
        if (kept < 1) {
            throw new IllegalArgumentException("cannot trim " + trim + " from each end of " + n + " values");
        }
        float[] out = new float[dim];
        float[] tile = new float[BLOCK * n];
        for (int lo = 0; lo < dim; lo += BLOCK) {
            int width = transpose(xs, lo, Math.min(dim, lo + BLOCK), tile);
            for (int b = 0; b < width; b++) {
                int from = b * n;
                int to = from + n - 1;
                if (trim > 0) {
                    select(tile, from, to, from + trim);
                    select(tile, from + trim, to, to - trim);
                }
                double sum = 0;
                for (int i = from + trim; i <= to - trim; i++) {
                    sum += tile[i];
                }
                out[lo + b] = (float) (sum / kept);
            }
        }
        return out;
    }

    private static int transpose(float[][] xs, int lo, int hi, float[] tile) {
        int n = xs.length;
        int width = hi - lo;
        for (int i = 0; i < n; i++) {
            float[] x = xs[i];
            for (int b = 0; b < width; b++) {
                tile[b * n + i] = x[lo + b];
            }
        }
        return width;
    }

    /**
     * Rearranges {@code a[lo..hi]} (inclusive) so that {@code a[k]} holds the value it would hold
     * if the range were sorted, everything before it is {@code <=} and everything after {@code >=}.
     */
    static void select(float[] a, int lo, int hi, int k) {
        while (hi - lo > INSERTION_SORT_MAX) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            float pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
        insertionSort(a, lo, hi);
    }

    private static void insertionSort(float[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            float v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
