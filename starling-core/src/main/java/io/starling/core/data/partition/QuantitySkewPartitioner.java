package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Quantity skew: clients hold very different amounts of data while the label mix stays IID
 * (rows are shuffled before they are dealt). Two size laws:
 * <ul>
 *   <li>{@link Law#POWER_LAW}: the client of rank r (1 = largest, ranks assigned to clients at
 *       random) gets a share proportional to {@code r^-parameter}, a Zipf law like the long-tailed
 *       device data of LEAF and FedProx; larger exponents are more skewed.</li>
 *   <li>{@link Law#DIRICHLET}: shares drawn from Dirichlet(parameter), as in NIID-Bench (Li et al.
 *       2022); smaller values are more skewed.</li>
 * </ul>
 * Every client first gets one row, and the rest is shared out in proportion (largest remainder),
 * so no client is empty.
 *
 * @param law how sizes are drawn
 * @param parameter the power-law exponent or Dirichlet concentration, > 0
 */
public record QuantitySkewPartitioner(Law law, double parameter) implements Partitioner {
    /** How client sizes are drawn. */
    public enum Law { POWER_LAW, DIRICHLET }

    public QuantitySkewPartitioner {
        if (law == null) {
            throw new IllegalArgumentException("law must be given");
        }
        if (!(parameter > 0) || !Double.isFinite(parameter)) {
            throw new IllegalArgumentException("quantity-skew parameter must be a positive number, got " + parameter);
        }
    }

    /** Zipf sizes with the given exponent. */
    public static QuantitySkewPartitioner powerLaw(double exponent) {
        return new QuantitySkewPartitioner(Law.POWER_LAW, exponent);
    }

    /** Dirichlet(beta) sizes. */
    public static QuantitySkewPartitioner dirichlet(double beta) {
        return new QuantitySkewPartitioner(Law.DIRICHLET, beta);
    }

    @Override
    public List<int[]> partition(Dataset data, int numClients, long seed) {
        ClientBuckets.requireFeasible(data, numClients);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] weights = switch (law) {
            case POWER_LAW -> {
                int[] rank = Sampling.permutation(numClients, rng);
                double[] w = new double[numClients];
                for (int c = 0; c < numClients; c++) {
                    w[c] = Math.pow(rank[c] + 1, -parameter);
                }
                yield w;
            }
            case DIRICHLET -> Sampling.dirichlet(parameter, numClients, rng);
        };
        int[] sizes = Sampling.apportion(weights, data.size(), 1);
        int[] order = Sampling.permutation(data.size(), rng);
        ClientBuckets buckets = new ClientBuckets(numClients);
        int from = 0;
        for (int c = 0; c < numClients; c++) {
            buckets.addAll(c, order, from, from + sizes[c]);
            from += sizes[c];
        }
        return buckets.toSortedArrays();
    }

    @Override
    public String spec() {
        return (law == Law.POWER_LAW ? "quantity:" : "quantity-dirichlet:") + parameter;
    }
}
