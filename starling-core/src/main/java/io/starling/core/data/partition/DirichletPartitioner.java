package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label skew by Dirichlet allocation (Hsu et al. 2019, "Measuring the effects of non-identical
 * data distribution"): for each class, proportions over the clients are drawn from a symmetric
 * Dirichlet(alpha) and the class's shuffled rows are cut at those proportions. Small alpha
 * (0.1) gives each client few dominant classes; large alpha (100) approaches IID.
 *
 * <p>Client sizes vary too, and with small alpha a client can receive nothing; such a client then
 * gets one row taken from the currently largest client, which keeps every client non-empty while
 * changing the drawn allocation by one row per empty client.
 *
 * @param alpha Dirichlet concentration, > 0
 */
public record DirichletPartitioner(double alpha) implements Partitioner {
    public DirichletPartitioner {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet alpha must be a positive number, got " + alpha);
        }
    }

    @Override
    public List<int[]> partition(Dataset data, int numClients, long seed) {
        ClientBuckets.requireFeasible(data, numClients);
        SplittableRandom rng = new SplittableRandom(seed);
        ClientBuckets buckets = new ClientBuckets(numClients);
        for (int[] rows : ClientBuckets.rowsByClass(data)) {
            Sampling.shuffle(rows, rng);
            double[] p = Sampling.dirichlet(alpha, numClients, rng);
            double cumulative = 0;
            int from = 0;
            for (int c = 0; c < numClients; c++) {
                cumulative += p[c];
                int to = c == numClients - 1 ? rows.length : (int) Math.min(rows.length, Math.floor(cumulative * rows.length));
                buckets.addAll(c, rows, from, Math.max(from, to));
                from = Math.max(from, to);
            }
        }
        buckets.fillEmptyClients();
        return buckets.toSortedArrays();
    }

    @Override
    public String spec() {
        return "dirichlet:" + alpha;
    }
}
