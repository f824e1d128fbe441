package io.starling.core.data.partition;

import io.starling.core.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a partition gave each client: its class histogram, as data (for plots and checks) and as
 * a text table (for logs and the CLI), plus summary figures that say how skewed it is.
 *
 * @param histograms {@code histograms[client][class]}: rows of that class the client holds
 */
public record PartitionReport(int[][] histograms) {
    public PartitionReport {
        histograms = Arrays.stream(histograms).map(int[]::clone).toArray(int[][]::new);
    }

    /**
     * Counts the classes of each client's rows.
     *
     * @throws IndexOutOfBoundsException if an index is not a row of {@code data}
     */
    public static PartitionReport of(Dataset data, List<int[]> parts) {
        int[][] h = new int[parts.size()][data.numClasses()];
        int[] labels = data.labels();
        for (int c = 0; c < parts.size(); c++) {
            for (int row : parts.get(c)) {
                if (row < 0 || row >= data.size()) {
                    throw new IndexOutOfBoundsException("client " + c + " holds row " + row
                            + " of a dataset with " + data.size() + " rows");
                }
                h[c][labels[row]]++;
            }
        }
        return new PartitionReport(h);
    }

    public int clients() {
        return histograms.length;
    }

    public int numClasses() {
        return histograms.length == 0 ? 0 : histograms[0].length;
    }

    /** A copy of one client's class histogram. */
    public int[] histogram(int client) {
        return histograms[client].clone();
    }

    @Override
    public int[][] histograms() {
        return Arrays.stream(histograms).map(int[]::clone).toArray(int[][]::new);
    }

    /** Rows held by {@code client}. */
    public int clientSize(int client) {
        int n = 0;
        for (int v : histograms[client]) {
            n += v;
        }
        return n;
    }

    /** Distinct labels {@code client} holds at least one row of. */
    public int labelsPresent(int client) {
        int n = 0;
        for (int v : histograms[client]) {
            n += v > 0 ? 1 : 0;
        }
        return n;
    }

    /** Mean number of distinct labels per client: 10 on IID MNIST, about k for k shards. */
    public double meanLabelsPerClient() {
        double sum = 0;
        for (int c = 0; c < clients(); c++) {
            sum += labelsPresent(c);
        }
        return clients() == 0 ? 0 : sum / clients();
    }

    /**
     * Mean over clients of the share of its rows that belong to its most common class: about
     * 1 / classes for IID data, 1.0 when every client holds a single label.
     */
    public double meanDominantClassShare() {
        double sum = 0;
        for (int c = 0; c < clients(); c++) {
            int max = Arrays.stream(histograms[c]).max().orElse(0);
            int size = clientSize(c);
            sum += size == 0 ? 0 : (double) max / size;
        }
        return clients() == 0 ? 0 : sum / clients();
    }

    /** A fixed-width table: one line per client (id, size, labels present, class counts) and a summary. */
    public String toTable() {
        int k = numClasses();
        int width = 5;
        for (int[] h : histograms) {
            for (int v : h) {
                width = Math.max(width, String.valueOf(v).length() + 1);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %7s %6s |", "client", "size", "labels"));
        for (int j = 0; j < k; j++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "s", "c" + j));
        }
        sb.append('\n');
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c = 0; c < clients(); c++) {
            int size = clientSize(c);
            min = Math.min(min, size);
            max = Math.max(max, size);
            sb.append(String.format(Locale.ROOT, "%-7d %7d %6d |", c, size, labelsPresent(c)));
            for (int v : histograms[c]) {
                sb.append(String.format(Locale.ROOT, "%" + width + "d", v));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%d clients, sizes %d..%d, %.2f labels per client on average, "
                        + "dominant class %.1f%% of a client's data on average%n",
                clients(), clients() == 0 ? 0 : min, max, meanLabelsPerClient(), 100 * meanDominantClassShare()));
        return sb.toString();
    }
}
