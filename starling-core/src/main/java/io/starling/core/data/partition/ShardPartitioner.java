package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * McMahan et al.'s pathological non-IID split (2017, "Communication-Efficient Learning of Deep
 * Networks from Decentralized Data"): rows sorted by label are cut into
 * {@code numClients * shardsPerClient} shards and each client is dealt {@code shardsPerClient}
 * shards at random, so it sees at most that many labels.
 *
 * <p>McMahan's MNIST had equal class sizes, so its shards never straddled two labels. Here each
 * shard is cut from one class only (a class gets shards in proportion to its size, at least one,
 * shard sizes as equal as possible), which keeps the "at most {@code shardsPerClient} labels per
 * client" guarantee for unbalanced data too. That needs at least as many shards as classes
 * present, and at most as many shards as rows; otherwise {@link PartitionException}. Every shard
 * holds at least one row, so every client is non-empty.
 *
 * @param shardsPerClient shards (hence at most that many labels) per client, >= 1
 */
public record ShardPartitioner(int shardsPerClient) implements Partitioner {
    public ShardPartitioner {
        if (shardsPerClient < 1) {
            throw new IllegalArgumentException("shardsPerClient must be >= 1, got " + shardsPerClient);
        }
    }

    @Override
    public List<int[]> partition(Dataset data, int numClients, long seed) {
        ClientBuckets.requireFeasible(data, numClients);
        long shards = (long) numClients * shardsPerClient;
        int[][] byClass = ClientBuckets.rowsByClass(data);
        int present = 0;
        for (int[] rows : byClass) {
            present += rows.length > 0 ? 1 : 0;
        }
        if (shards < present) {
            throw new PartitionException(numClients + " clients x " + shardsPerClient + " shards = " + shards
                    + " one-label shards cannot cover the " + present + " classes in the data; use at least "
                    + ceilDiv(present, numClients) + " shards per client");
        }
        if (shards > data.size()) {
            throw new PartitionException(numClients + " clients x " + shardsPerClient + " shards = " + shards
                    + " shards exceed the " + data.size() + " examples; use fewer shards per client");
        }
        int[] shardsOfClass = shardCounts(byClass, (int) shards);
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] shardRows = new int[(int) shards][];
        int next = 0;
        for (int c = 0; c < byClass.length; c++) {
            int[] rows = byClass[c];
            Sampling.shuffle(rows, rng);
            for (int s = 0; s < shardsOfClass[c]; s++) {
                int from = (int) ((long) rows.length * s / shardsOfClass[c]);
                int to = (int) ((long) rows.length * (s + 1) / shardsOfClass[c]);
                shardRows[next++] = Arrays.copyOfRange(rows, from, to);
            }
        }
        int[] deal = Sampling.permutation(shardRows.length, rng);
        ClientBuckets buckets = new ClientBuckets(numClients);
        for (int i = 0; i < deal.length; i++) {
            int[] shard = shardRows[deal[i]];
            buckets.addAll(i / shardsPerClient, shard, 0, shard.length);
        }
        return buckets.toSortedArrays();
    }

    /**
     * Shards per class: one for each class present, then each further shard to the class whose
     * shards are currently largest, which keeps shard sizes as equal as possible.
     */
    private static int[] shardCounts(int[][] byClass, int shards) {
        int[] counts = new int[byClass.length];
        int given = 0;
        for (int c = 0; c < byClass.length; c++) {
            if (byClass[c].length > 0) {
                counts[c] = 1;
                given++;
            }
        }
        for (; given < shards; given++) {
            int best = -1;
            for (int c = 0; c < byClass.length; c++) {
                if (counts[c] > 0 && counts[c] < byClass[c].length
                        && (best < 0 || (long) byClass[c].length * counts[best] > (long) byClass[best].length * counts[c])) {
                    best = c;
                }
            }
            counts[best]++;
        }
        return counts;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public String spec() {
        return "shards:" + shardsPerClient;
    }
}
