package io.starling.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads image/label pairs in the IDX format of the MNIST distribution (LeCun et al.), plain or
 * gzip-compressed (recognised by content, not by name). The full original MNIST files (60,000 +
 * 10,000 digits) load unchanged; so does any unsigned-byte IDX pair of the same shape.
 *
 * <p>What is verified, each failure a {@link DatasetFormatException} naming the file: the magic
 * number (element type unsigned byte; 2 to 4 dimensions for images, 1 for labels), every
 * dimension positive, the payload exactly as long as the header promises (truncated or
 * trailing bytes are errors), gzip integrity, and that images and labels agree in count. Memory
 * grows with the bytes actually read, so a header that lies about its size cannot force a huge
 * allocation.
 *
 * <p>Pixels are scaled from {@code 0..255} to {@code [0, 1]}. The number of classes is
 * {@code max(10, largest label + 1)}, so MNIST-like subsets that lack a digit still have ten
 * classes.
 */
public final class IdxLoader {
    /** Element type code for unsigned bytes, the only one MNIST-like data uses. */
    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int IMAGE_MAGIC = 0x00000803;
    private static final int LABEL_MAGIC = 0x00000801;
    private static final int MIN_CLASSES = 10;
    /** Largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** The standard MNIST file names, as published. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private IdxLoader() {
    }

    /** Pixels of {@code count} images of {@code featureDim} values each, row-major in [0, 1]. */
    record Images(float[] pixels, int count, int featureDim) {
    }

    /**
     * Loads one image file and its label file.
     *
     * @throws DatasetIoException if a file cannot be read
     * @throws DatasetFormatException if a file is not valid IDX or the two disagree in count
     */
    public static Dataset load(Path images, Path labels) {
        Images x = readImages(images);
        int[] y = readLabels(labels);
        requireSameCount(images.toString(), x, labels.toString(), y);
        return new ArrayDataset(x.pixels(), y, x.featureDim(), classesFor(y));
    }

    /**
     * Loads the four standard MNIST files from {@code dir}: {@value #TRAIN_IMAGES},
     * {@value #TRAIN_LABELS}, {@value #TEST_IMAGES} and {@value #TEST_LABELS}, each optionally
     * with a {@code .gz} suffix (the uncompressed name wins when both exist). Train and test share
     * the number of classes.
     *
     * @throws DatasetIoException naming every missing file, or if {@code dir} is not a directory
     */
    public static TrainTestSplit loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetIoException(dir + ": not a directory (expected one holding the MNIST files "
                    + TRAIN_IMAGES + ", " + TRAIN_LABELS + ", " + TEST_IMAGES + ", " + TEST_LABELS
                    + ", each optionally .gz)");
        }
        List<String> missing = new ArrayList<>();
        Path trainImages = find(dir, TRAIN_IMAGES, missing);
        Path trainLabels = find(dir, TRAIN_LABELS, missing);
        Path testImages = find(dir, TEST_IMAGES, missing);
        Path testLabels = find(dir, TEST_LABELS, missing);
        if (!missing.isEmpty()) {
            throw new DatasetIoException(dir + ": missing " + String.join(", ", missing)
                    + " (each may also be gzipped with a .gz suffix)");
        }
        Images trainX = readImages(trainImages);
        int[] trainY = readLabels(trainLabels);
        requireSameCount(trainImages.toString(), trainX, trainLabels.toString(), trainY);
        Images testX = readImages(testImages);
        int[] testY = readLabels(testLabels);
        requireSameCount(testImages.toString(), testX, testLabels.toString(), testY);
        return split(trainImages.toString(), trainX, trainY, testImages.toString(), testX, testY);
    }

    /** Builds a split whose two halves share {@code max(10, largest label + 1)} classes. */
    static TrainTestSplit split(String trainName, Images trainX, int[] trainY,
                                String testName, Images testX, int[] testY) {
        if (trainX.featureDim() != testX.featureDim()) {
            throw new DatasetFormatException(testName, "images have " + testX.featureDim()
                    + " pixels but the training images in " + trainName + " have " + trainX.featureDim());
        }
        int classes = Math.max(classesFor(trainY), classesFor(testY));
        return new TrainTestSplit(
                new ArrayDataset(trainX.pixels(), trainY, trainX.featureDim(), classes),
                new ArrayDataset(testX.pixels(), testY, testX.featureDim(), classes));
    }

    static void requireSameCount(String imagesName, Images x, String labelsName, int[] y) {
        if (x.count() != y.length) {
            throw new DatasetFormatException(labelsName, "holds " + y.length + " labels but "
                    + imagesName + " holds " + x.count() + " images; they must be a matching pair");
        }
    }

    private static Path find(Path dir, String name, List<String> missing) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        missing.add(name);
        return null;
    }

    private static Images readImages(Path file) {
        try (InputStream in = DataFileStreams.open(file)) {
            return readImages(file.toString(), in);
        } catch (IOException e) {
            throw new DatasetIoException(file + ": close failed (" + e.getMessage() + ")", e);
        }
    }

    private static int[] readLabels(Path file) {
        try (InputStream in = DataFileStreams.open(file)) {
            return readLabels(file.toString(), in);
        } catch (IOException e) {
            throw new DatasetIoException(file + ": close failed (" + e.getMessage() + ")", e);
        }
    }

    /** Parses an IDX image file from a stream that may be gzipped; {@code name} is for messages. */
    static Images readImages(String name, InputStream in) {
        byte[] bytes = DataFileStreams.readAtMost(name, DataFileStreams.decompressIfGzip(name, in), MAX_ARRAY);
        long[] dims = header(name, bytes, IMAGE_MAGIC, 2, 4, "image");
        long featureDim = 1;
        for (int i = 1; i < dims.length; i++) {
            featureDim *= dims[i];
        }
        long payload = dims[0] * featureDim;
        int offset = 4 + 4 * dims.length;
        requirePayload(name, bytes, offset, payload, dims);
        float[] pixels = new float[(int) payload];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (bytes[offset + i] & 0xff) / 255f;
        }
        return new Images(pixels, (int) dims[0], (int) featureDim);
    }

    /** Parses an IDX label file from a stream that may be gzipped; {@code name} is for messages. */
    static int[] readLabels(String name, InputStream in) {
        byte[] bytes = DataFileStreams.readAtMost(name, DataFileStreams.decompressIfGzip(name, in), MAX_ARRAY);
        long[] dims = header(name, bytes, LABEL_MAGIC, 1, 1, "label");
        int offset = 8;
        requirePayload(name, bytes, offset, dims[0], dims);
        int[] labels = new int[(int) dims[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = bytes[offset + i] & 0xff;
        }
        return labels;
    }

    /** Validates magic and dimensions; returns the dimensions. */
    private static long[] header(String name, byte[] b, int expectedMagic, int minDims, int maxDims, String kind) {
        if (b.length < 4) {
            throw new DatasetFormatException(name, "truncated: " + b.length
                    + " bytes, too short for an IDX header (is it empty?)");
        }
        int magic = readInt(b, 0);
        int type = (magic >>> 8) & 0xff;
        int ndims = magic & 0xff;
        if ((magic >>> 16) != 0 || type != TYPE_UNSIGNED_BYTE || ndims < minDims || ndims > maxDims) {
            throw new DatasetFormatException(name, "bad magic number " + hex(magic) + ", expected "
                    + hex(expectedMagic) + " for an IDX " + kind + " file" + describeMagic(magic));
        }
        if (b.length < 4 + 4L * ndims) {
            throw new DatasetFormatException(name, "truncated: the header declares " + ndims
                    + " dimensions but the file ends after " + b.length + " bytes");
        }
        long[] dims = new long[ndims];
        long product = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = readInt(b, 4 + 4 * i) & 0xffffffffL;
            if (dims[i] == 0) {
                throw new DatasetFormatException(name, "dimension " + i + " of the header is 0 (no "
                        + (i == 0 ? kind + "s" : "values per " + kind) + ")");
            }
            product *= dims[i];
            if (product > MAX_ARRAY) {
                throw new DatasetFormatException(name, "header dimensions " + dimsText(dims, i + 1)
                        + " describe more than " + MAX_ARRAY + " values, too many to load");
            }
        }
        return dims;
    }

    private static void requirePayload(String name, byte[] b, int offset, long expected, long[] dims) {
        long actual = b.length - offset;
        if (actual < expected) {
            throw new DatasetFormatException(name, "truncated: header dimensions " + dimsText(dims, dims.length)
                    + " need " + expected + " data bytes but the file holds " + actual);
        }
        if (actual > expected) {
            throw new DatasetFormatException(name, "dimension mismatch: header dimensions "
                    + dimsText(dims, dims.length) + " need " + expected + " data bytes but the file holds "
                    + actual + " (" + (actual - expected) + " unexpected trailing bytes)");
        }
    }

    private static String describeMagic(int magic) {
        if (magic == LABEL_MAGIC) {
            return " (this is a label file; were the image and label files swapped?)";
        }
        if (magic == IMAGE_MAGIC) {
            return " (this is an image file; were the image and label files swapped?)";
        }
        if ((magic >>> 16) != 0) {
            return " (not an IDX file)";
        }
        int type = (magic >>> 8) & 0xff;
        if (type != TYPE_UNSIGNED_BYTE) {
            return " (element type " + hex2(type) + " is not supported; only unsigned bytes, 0x08)";
        }
        return " (" + (magic & 0xff) + " dimensions)";
    }

    private static int classesFor(int[] labels) {
        int max = -1;
        for (int y : labels) {
            max = Math.max(max, y);
        }
        return Math.max(MIN_CLASSES, max + 1);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static String dimsText(long[] dims, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static String hex2(int v) {
        return String.format("0x%02X", v);
    }
}
