package io.starling.sim.experiment;

import io.starling.core.StarlingException;
import io.starling.core.data.CsvLoader;
import io.starling.core.data.CsvOptions;
import io.starling.core.data.IdxLoader;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.SyntheticFedProx;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data sources of starling-core by the names configs use:
 * <ul>
 *   <li>{@code mnist10k}: the bundled 8,000 / 2,000 MNIST digits;</li>
 *   <li>{@code idx:DIR}: MNIST-format IDX files in {@code DIR} (e.g. the full MNIST);</li>
 *   <li>{@code csv:FILE}: a CSV with the label in the last column, 20% held out for testing;</li>
 *   <li>{@code synthetic:ALPHA,BETA[,N]}: FedProx's Synthetic(alpha, beta), one client per
 *       device, FedProx's log-normal client sizes or {@code N} examples each;
 *       {@code synthetic-iid[:N]} its IID variant.</li>
 * </ul>
 * Pooled sources are split over devices by {@code data.partition} ({@code iid},
 * {@code dirichlet:A}, {@code shards:K}, {@code quantity:S}, ...); synthetic sources are naturally
 * federated and take {@code data.partition: natural}.
 */
public final class CoreDataCatalog implements DataCatalog {
    public static final String NATURAL = "natural";

    @Override
    public void check(String source, String partition, Path baseDir, String sourcePath, String partitionPath) {
        if (source == null || source.isBlank()) {
            throw new ConfigException(sourcePath + ": expected a data source: mnist10k, idx:DIR, csv:FILE, "
                    + "synthetic:ALPHA,BETA[,N] or synthetic-iid[:N]");
        }
        if (isSynthetic(source)) {
            synthetic(source, sourcePath);
            if (!NATURAL.equals(partition)) {
                throw new ConfigException(partitionPath + ": synthetic data is already split by client; expected '"
                        + NATURAL + "', got '" + partition + "'");
            }
            return;
        }
        if (source.startsWith("idx:")) {
            Path dir = baseDir.resolve(source.substring(4));
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(sourcePath + ": IDX directory " + dir + " does not exist");
            }
        } else if (source.startsWith("csv:")) {
            Path file = baseDir.resolve(source.substring(4));
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(sourcePath + ": CSV file " + file + " does not exist");
            }
        } else if (!source.equals(Mnist10k.NAME)) {
            throw new ConfigException(sourcePath + ": unknown data source '" + source + "'; expected mnist10k, idx:DIR, "
                    + "csv:FILE, synthetic:ALPHA,BETA[,N] or synthetic-iid[:N]");
        }
        if (NATURAL.equals(partition)) {
            throw new ConfigException(partitionPath + ": '" + NATURAL + "' is only for synthetic sources; expected one of "
                    + Partitioners.FORMS);
        }
        try {
            Partitioners.parse(partition);
        } catch (StarlingException | IllegalArgumentException e) {
            throw new ConfigException(partitionPath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FederatedData load(String source, String partition, Path baseDir, int devices, long seed) {
        if (isSynthetic(source)) {
            Synthetic s = synthetic(source, "data.source");
            SyntheticFedProx.FederatedData d = SyntheticFedProx.generate(devices, s.alpha, s.beta,
                    SyntheticFedProx.DEFAULT_DIM, SyntheticFedProx.DEFAULT_CLASSES, s.sizes, s.iid, seed);
            return FederatedData.perDevice(d.clients(), d.test());
        }
        TrainTestSplit split;
        if (source.startsWith("idx:")) {
            split = IdxLoader.loadDirectory(baseDir.resolve(source.substring(4)));
        } else if (source.startsWith("csv:")) {
            split = CsvLoader.loadSplit(baseDir.resolve(source.substring(4)), CsvOptions.defaults(), 0.2, seed);
        } else {
            split = Mnist10k.load();
        }
        return FederatedData.pooled(split.train(), split.test(),
                Partitioners.parse(partition).partition(split.train(), devices, seed));
    }

    private static boolean isSynthetic(String source) {
        return source.equals("synthetic") || source.startsWith("synthetic:") || source.startsWith("synthetic-iid");
    }

    private record Synthetic(double alpha, double beta, SyntheticFedProx.SampleSizes sizes, boolean iid) {
    }

    private static Synthetic synthetic(String source, String path) {
        boolean iid = source.startsWith("synthetic-iid");
        int colon = source.indexOf(':');
        String[] args = colon < 0 ? new String[0] : source.substring(colon + 1).split(",");
        try {
            if (iid) {
                if (args.length > 1) {
                    throw new ConfigException(path + ": expected synthetic-iid or synthetic-iid:N, got '" + source + "'");
                }
                return new Synthetic(0, 0, sizes(args, 0, path, source), true);
            }
            if (args.length == 0) {
                return new Synthetic(1, 1, SyntheticFedProx.SampleSizes.fedProx(), false);
            }
            if (args.length < 2 || args.length > 3) {
                throw new ConfigException(path + ": expected synthetic:ALPHA,BETA or synthetic:ALPHA,BETA,N, got '"
                        + source + "'");
            }
            double alpha = Double.parseDouble(args[0].trim());
            double beta = Double.parseDouble(args[1].trim());
            if (!(alpha >= 0) || !(beta >= 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
                throw new ConfigException(path + ": ALPHA and BETA must be finite numbers >= 0, got '" + source + "'");
            }
            return new Synthetic(alpha, beta, sizes(args, 2, path, source), false);
        } catch (NumberFormatException e) {
            throw new ConfigException(path + ": '" + source + "' has a parameter that is not a number", e);
        }
    }

    private static SyntheticFedProx.SampleSizes sizes(String[] args, int index, String path, String source) {
        if (args.length <= index) {
            return SyntheticFedProx.SampleSizes.fedProx();
        }
        int n = Integer.parseInt(args[index].trim());
        if (n < 1) {
            throw new ConfigException(path + ": N (examples per device) must be >= 1, got '" + source + "'");
        }
        return new SyntheticFedProx.SampleSizes.Fixed(n);
    }
}
