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
 * The options that say which data a command works on, shared by every command that loads a
 * dataset: the bundled {@code mnist10k}, a directory of MNIST-named IDX files, or a CSV file.
 */
public final class DataOptions {
    /** How {@code --data} is read. */
    public enum Format { AUTO, IDX, CSV }

    @Option(names = "--data", defaultValue = Mnist10k.NAME, paramLabel = "PATH",
            description = "mnist10k (bundled), a directory of MNIST IDX files, or a CSV file (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto, idx or csv; auto picks idx for a directory and csv for a file (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--label-column", defaultValue = "-1", paramLabel = "N",
            description = "CSV label column, 0-based; negative counts from the end (default: ${DEFAULT-VALUE}, the last)")
    int labelColumn;

    @Option(names = "--header", description = "the CSV file's first row holds column names")
    boolean header;

    @Option(names = "--delimiter", defaultValue = ",", paramLabel = "CHAR",
            description = "CSV field separator; \\t for tab (default: ${DEFAULT-VALUE})")
    String delimiter;

    @Option(names = "--scaling", defaultValue = "none", paramLabel = "HOW",
            description = "CSV feature scaling fitted on the training split: none, min-max or standardize (default: ${DEFAULT-VALUE})")
    String scaling;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "share of CSV rows held out for testing (default: ${DEFAULT-VALUE})")
    double testFraction;

    /**
     * Loads the train/test split the options describe; {@code seed} decides a CSV file's split.
     *
     * @throws IllegalArgumentException naming the option when a value is not understood
     */
    public TrainTestSplit load(long seed) {
        if (data.equals(Mnist10k.NAME) && !Files.exists(Path.of(data))) {
            return Mnist10k.load();
        }
        Path path = Path.of(data);
        return switch (resolveFormat(path)) {
            case IDX -> IdxLoader.loadDirectory(path);
            case CSV -> CsvLoader.loadSplit(path, csvOptions(), testFraction, seed);
            case AUTO -> throw new IllegalStateException("format was resolved");
        };
    }

    private Format resolveFormat(Path path) {
        Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "auto" -> Format.AUTO;
            case "idx" -> Format.IDX;
            case "csv" -> Format.CSV;
            default -> throw new IllegalArgumentException("--format: '" + format + "' is not one of auto, idx, csv");
        };
        if (f != Format.AUTO) {
            return f;
        }
        if (!Files.exists(path)) {
            throw new DatasetIoException("--data " + path + ": no such file or directory (or use --data mnist10k)");
        }
        return Files.isDirectory(path) ? Format.IDX : Format.CSV;
    }

    CsvOptions csvOptions() {
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new IllegalArgumentException("--delimiter: '" + delimiter + "' is not a single character");
        }
        CsvOptions.Scaling s = switch (scaling.toLowerCase(Locale.ROOT)) {
            case "none" -> CsvOptions.Scaling.NONE;
            case "min-max", "minmax" -> CsvOptions.Scaling.MIN_MAX;
            case "standardize", "standardise" -> CsvOptions.Scaling.STANDARDIZE;
            default -> throw new IllegalArgumentException(
                    "--scaling: '" + scaling + "' is not one of none, min-max, standardize");
        };
        return new CsvOptions(labelColumn, header, d.charAt(0), s);
    }
}
