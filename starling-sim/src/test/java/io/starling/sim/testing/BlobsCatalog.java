package io.starling.sim.testing;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.sim.experiment.FederatedData;
import io.starling.protocol.SplittableRng;
import io.starling.sim.experiment.ConfigException;
import io.starling.sim.experiment.DataCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test data: {@code blobs} (four Gaussian clusters in 8 dimensions, 2,000 train / 500 test) and
 * {@code file:NAME} (must exist, then loads blobs); partitions {@code iid} (round robin) and
 * {@code sorted} (by label, each device one contiguous block).
 */
public final class BlobsCatalog implements DataCatalog {
    @Override
    public void check(String source, String partition, Path baseDir, String sourcePath, String partitionPath) {
        if (source.startsWith("file:")) {
            Path f = baseDir.resolve(source.substring(5));
            if (!Files.exists(f)) {
                throw new ConfigException(sourcePath + ": data file " + f + " does not exist");
            }
        } else if (!source.equals("blobs")) {
            throw new ConfigException(sourcePath + ": unknown data source '" + source + "'; expected blobs or file:NAME");
        }
        if (!partition.equals("iid") && !partition.equals("sorted")) {
            throw new ConfigException(partitionPath + ": unknown partition '" + partition + "'; expected iid or sorted");
        }
    }

    @Override
    public FederatedData load(String source, String partition, Path baseDir, int devices, long seed) {
        Dataset train = blobs(2000, 11);
        return FederatedData.pooled(train, blobs(500, 12), partition(partition, train, devices));
    }

    static Dataset blobs(int n, long seed) {
        SplittableRng rng = SplittableRng.seeded(seed);
        int dim = 8;
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int j = 0; j < dim; j++) {
                double center = (j % 4 == y[i]) ? 2.0 : 0.0;
                x[i * dim + j] = (float) (center + 1.2 * gaussian(rng));
            }
        }
        return new ArrayDataset(x, y, dim, 4);
    }

    private static double gaussian(SplittableRng rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static List<int[]> partition(String partition, Dataset train, int clients) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            lists.add(new ArrayList<>());
        }
        if (partition.equals("iid")) {
            for (int i = 0; i < train.size(); i++) {
                lists.get(i % clients).add(i);
            }
        } else {
            Integer[] order = new Integer[train.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Integer.compare(train.labels()[a], train.labels()[b]));
            for (int i = 0; i < order.length; i++) {
                lists.get((int) ((long) i * clients / order.length)).add(order[i]);
            }
        }
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }
}
