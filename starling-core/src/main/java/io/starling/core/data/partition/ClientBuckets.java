package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Row indices being dealt to clients, with the checks and repairs every partitioner shares. */
final class ClientBuckets {
    private final int[][] rows;
    private final int[] sizes;

    ClientBuckets(int numClients) {
        rows = new int[numClients][8];
        sizes = new int[numClients];
    }

    /** Rejects requests no partitioner can meet: fewer than one client, or more clients than rows. */
    static void requireFeasible(Dataset data, int numClients) {
        if (numClients < 1) {
            throw new PartitionException("numClients must be >= 1, got " + numClients);
        }
        if (numClients > data.size()) {
            throw new PartitionException("cannot give " + numClients + " clients at least one example each from "
                    + data.size() + " examples; use fewer clients or more data");
        }
    }

    /** Row indices grouped by label: {@code result[c]} holds the rows of class c, ascending. */
    static int[][] rowsByClass(Dataset data) {
        int[] hist = data.classHistogram();
        int[][] byClass = new int[hist.length][];
        for (int c = 0; c < hist.length; c++) {
            byClass[c] = new int[hist[c]];
        }
        int[] fill = new int[hist.length];
        int[] labels = data.labels();
        for (int i = 0; i < data.size(); i++) {
            int c = labels[i];
            byClass[c][fill[c]++] = i;
        }
        return byClass;
    }

    void add(int client, int row) {
        if (sizes[client] == rows[client].length) {
            rows[client] = Arrays.copyOf(rows[client], rows[client].length * 2);
        }
        rows[client][sizes[client]++] = row;
    }

    void addAll(int client, int[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            add(client, src[i]);
        }
    }

    /**
     * Gives every empty client one row taken from the currently largest client (lowest id on
     * ties; its most recently added row). Always succeeds when there are at least as many rows as
     * clients, and moves as few rows as possible: one per empty client.
     */
    void fillEmptyClients() {
        for (int empty = 0; empty < sizes.length; empty++) {
            if (sizes[empty] > 0) {
                continue;
            }
            int largest = 0;
            for (int c = 1; c < sizes.length; c++) {
                if (sizes[c] > sizes[largest]) {
                    largest = c;
                }
            }
            if (sizes[largest] < 2) {
                throw new IllegalStateException("fewer rows than clients; requireFeasible was skipped");
            }
            add(empty, rows[largest][--sizes[largest]]);
        }
    }

    /** Each client's rows, sorted ascending. */
    List<int[]> toSortedArrays() {
        List<int[]> out = new ArrayList<>(sizes.length);
        for (int c = 0; c < sizes.length; c++) {
            int[] r = Arrays.copyOf(rows[c], sizes[c]);
            Arrays.sort(r);
            out.add(r);
        }
        return out;
    }
}
