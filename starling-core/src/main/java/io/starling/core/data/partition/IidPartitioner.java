package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The IID baseline: rows shuffled and dealt in nearly equal parts (sizes differ by at most one),
 * so every client sees roughly the global class mix. Non-empty because there are at least as many
 * rows as clients.
 */
public record IidPartitioner() implements Partitioner {
    @Override
    public List<int[]> partition(Dataset data, int numClients, long seed) {
        ClientBuckets.requireFeasible(data, numClients);
        int[] order = Sampling.permutation(data.size(), new SplittableRandom(seed));
        ClientBuckets buckets = new ClientBuckets(numClients);
        int n = order.length;
        for (int c = 0; c < numClients; c++) {
            int from = (int) ((long) n * c / numClients);
            int to = (int) ((long) n * (c + 1) / numClients);
            buckets.addAll(c, order, from, to);
        }
        return buckets.toSortedArrays();
    }

    @Override
    public String spec() {
        return "iid";
    }
}
