package io.starling.cli;

import io.starling.core.data.CsvLoader;
import io.starling.core.data.CsvOptions;
import io.starling.core.data.DatasetIoException;
import io.starling.core.data.IdxLoader;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where a command's examples come from: the bundled {@code mnist10k}, a directory of MNIST-named
 * IDX files, or a CSV file split into train and test. A picocli mixin so every command that
 * needs data takes the same options.
 */
final class DataOptions {
    @Option(names = "--data", defaultValue = Mnist10k.NAME, paramLabel = "PATH|mnist10k",
            description = "dataset: 'mnist10k' (bundled, default), a directory of MNIST IDX files "
                    + "(train-images-idx3-ubyte, ... optionally .gz), or a CSV file")
    String data;

    @Option(names = "--format", paramLabel = "idx|csv",
            description = "format of --data (default: idx for a directory, csv for a file)")
    String format;

    @Option(names = "--label-column", defaultValue = "-1", paramLabel = "N",
            description = "CSV: zero-based column holding the class label; negative counts from the end, "
                    + "-1 is the last (default: ${DEFAULT-VALUE})")
    int labelColumn;

    @Option(names = "--header", description = "CSV: the first line is a header")
    boolean header;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "CSV: fraction of rows held out for testing, in (0, 1) (default: ${DEFAULT-VALUE})")
    double testFraction;

    @Option(names = "--scale", defaultValue = "none", paramLabel = "none|minmax|standardize",
            description = "CSV: feature scaling fitted on the training split (default: ${DEFAULT-VALUE})")
    String scale;

    @Option(names = "--delimiter", defaultValue = ",", paramLabel = "C",
            description = "CSV: field separator, one character; 'tab' for a tab (default: ${DEFAULT-VALUE})")
    String delimiter;

    private CsvOptions csvOptions() {
        CsvOptions.Scaling scaling = switch (scale.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> CsvOptions.Scaling.NONE;
            case "minmax", "min-max" -> CsvOptions.Scaling.MIN_MAX;
            case "standardize", "standardise" -> CsvOptions.Scaling.STANDARDIZE;
            default -> throw new IllegalArgumentException("--scale must be none, minmax or standardize, got '"
                    + scale + "'");
        };
        String d = delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new IllegalArgumentException("--delimiter must be one character (or 'tab'), got '" + delimiter + "'");
        }
        return new CsvOptions(labelColumn, header, d.charAt(0), scaling);
    }

    /** Resolved format: {@code mnist10k}, {@code idx} or {@code csv}. */
    String resolvedFormat() {
        if (format != null) {
            String f = format.strip().toLowerCase(Locale.ROOT);
            if (!f.equals("idx") && !f.equals("csv")) {
                throw new IllegalArgumentException("--format must be idx or csv, got '" + format + "'");
            }
            return isBundled() ? "mnist10k" : f;
        }
        if (isBundled()) {
            return "mnist10k";
        }
        return Files.isDirectory(Path.of(data)) ? "idx" : "csv";
    }

    private boolean isBundled() {
        return data.equals(Mnist10k.NAME) && !Files.exists(Path.of(data));
    }

    /**
     * Loads the train/test split; {@code seed} decides which CSV rows are held out.
     *
     * @throws IllegalArgumentException for inconsistent options
     * @throws io.starling.core.StarlingException subclasses for missing or malformed files
     */
    TrainTestSplit load(long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (!isBundled() && !Files.exists(Path.of(data))) {
            throw new DatasetIoException(data + ": no such file or directory (--data takes a CSV file, a directory"
                    + " of MNIST IDX files, or '" + Mnist10k.NAME + "')");
        }
        return switch (resolvedFormat()) {
            case "mnist10k" -> Mnist10k.load();
            case "idx" -> IdxLoader.loadDirectory(Path.of(data));
            default -> CsvLoader.loadSplit(Path.of(data), csvOptions(), testFraction, seed);
        };
    }
}
