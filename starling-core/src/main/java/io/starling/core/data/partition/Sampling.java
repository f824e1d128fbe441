package io.starling.core.data.partition;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The random and counting primitives the partitioners share: shuffles, Dirichlet draws and
 * largest-remainder apportionment. All are deterministic functions of the generator's state.
 */
final class Sampling {
    private Sampling() {
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0, 1, ..., n-1} in random order. */
    static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    /**
     * A draw from the symmetric Dirichlet(alpha, ..., alpha) over {@code k} categories.
     *
     * <p>Normalised Gamma(alpha) draws, computed in log space: for alpha well below 1 the Gamma
     * draws underflow to zero in linear space (then every proportion would be 0/0), while their
     * logarithms stay finite.
     */
    static double[] dirichlet(double alpha, int k, RandomGenerator rng) {
        double[] logG = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            logG[i] = logGamma(alpha, rng);
            max = Math.max(max, logG[i]);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logG[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * log of a Gamma(shape, 1) draw: Marsaglia and Tsang (2000) for shape >= 1, and for shape &lt; 1
     * their boost {@code G(a) = G(a + 1) * U^(1/a)}, taken as a sum of logarithms.
     */
    static double logGamma(double shape, RandomGenerator rng) {
        if (shape < 1) {
            double u = 1.0 - rng.nextDouble();
            return logGamma(shape + 1, rng) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return Math.log(d * v);
            }
        }
    }

    /**
     * Splits {@code total} into integer parts proportional to {@code weights}, each at least
     * {@code minEach}: the floor of each share first, then the leftover units to the largest
     * fractional parts (lowest index on ties). Requires {@code total >= minEach * weights.length}.
     */
    static int[] apportion(double[] weights, int total, int minEach) {
        int k = weights.length;
        int[] out = new int[k];
        Arrays.fill(out, minEach);
        long rest = total - (long) minEach * k;
        if (rest < 0) {
            throw new IllegalArgumentException(total + " units cannot give " + k + " parts " + minEach + " each");
        }
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] frac = new double[k];
        long given = 0;
        for (int i = 0; i < k; i++) {
            double share = sum > 0 ? weights[i] / sum * rest : (double) rest / k;
            long whole = (long) Math.floor(share);
            out[i] += (int) whole;
            given += whole;
            frac[i] = share - whole;
        }
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> frac[a] != frac[b] ? Double.compare(frac[b], frac[a]) : Integer.compare(a, b));
        for (int i = 0; given < rest; i = (i + 1) % k) {
            out[order[i]]++;
            given++;
        }
        for (int i = k - 1; given > rest; i = (i + k - 1) % k) {
            if (out[order[i]] > minEach) {
                out[order[i]]--;
                given--;
            }
        }
        return out;
    }
}
