package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one dataset among federated clients, the way FL papers simulate non-IID data.
 *
 * <p>Every implementation guarantees: the result has exactly {@code numClients} index arrays;
 * together they cover every row index of {@code data} exactly once (a disjoint cover); every
 * client gets at least one row; each array is sorted ascending; and the same arguments (data,
 * client count, seed) give the same result on every run and JVM.
 */
@FunctionalInterface
public interface Partitioner {
    /**
     * @return for each client, the row indices of {@code data} it holds
     * @throws PartitionException if the request cannot be met, e.g. more clients than rows
     */
    List<int[]> partition(Dataset data, int numClients, long seed);

    /**
     * The spec string that {@link Partitioners#parse} turns back into this partitioner; the
     * built-in ones override it, so a custom partitioner can still be a lambda.
     */
    default String spec() {
        return "custom";
    }

    /** The clients' datasets themselves: {@link Dataset#subset} of each index array. */
    default List<Dataset> split(Dataset data, int numClients, long seed) {
        List<int[]> parts = partition(data, numClients, seed);
        List<Dataset> out = new ArrayList<>(parts.size());
        for (int[] part : parts) {
            out.add(data.subset(part));
        }
        return out;
    }
}
