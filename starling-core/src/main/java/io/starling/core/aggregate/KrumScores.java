package io.starling.core.aggregate;

import java.util.Arrays;

/**
 * Krum's scores (Blanchard et al. 2017): for each model, the sum of squared distances to its
 * {@code n - f - 2} nearest other models. Honest models cluster, so they score low.
 */
final class KrumScores {
    private KrumScores() {
    }

    /** Fails unless {@code n >= 2f + 3}, the condition of Krum's resilience proof. */
    static void requireEnough(String rule, int n, int f) {
        if (n < 2 * f + 3) {
            throw new NotEnoughContributionsException(rule, 2 * f + 3, n,
                    "Krum tolerates f=" + f + " adversaries only when n >= 2f + 3");
        }
    }

    static double[] scores(float[][] xs, int f) {
        int n = xs.length;
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = squaredDistance(xs[i], xs[j]);
                dist[i][j] = d;
                dist[j][i] = d;
            }
        }
        int neighbours = n - f - 2;
        double[] scores = new double[n];
        double[] row = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int r = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    row[r++] = dist[i][j];
                }
            }
            Arrays.sort(row);
            double s = 0;
            for (int k = 0; k < neighbours; k++) {
                s += row[k];
            }
            scores[i] = s;
        }
        return scores;
    }

    /**
     * Indices of the {@code m} lowest scores; ties broken by comparing the models' values, so the
     * selection does not depend on the order of the contributions.
     */
    static int[] lowest(double[] scores, float[][] xs, int m) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Arrays.compare(xs[a], xs[b]);
        });
        int[] picked = new int[m];
        for (int i = 0; i < m; i++) {
            picked[i] = order[i];
        }
        return picked;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            double d = (double) a[j] - b[j];
            sum += d * d;
        }
        return sum;
    }
}
