package io.starling.djl;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.core.data.TrainTestSplit;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * Stop-gap reader of starling-core's bundled mnist10k resources for these tests, until the data
 * package's {@code Mnist10k.load()} is on main.
 */
final class BundledMnist {
    private static final String DIR = "/io/starling/core/data/mnist10k/";
    private static TrainTestSplit cached;

    private BundledMnist() {
    }

    static synchronized TrainTestSplit load() {
        if (cached == null) {
            cached = new TrainTestSplit(read("train"), read("t10k"));
        }
        return cached;
    }

    private static Dataset read(String prefix) {
        try (DataInputStream images = open(prefix + "-images-idx3-ubyte.gz");
             DataInputStream labels = open(prefix + "-labels-idx1-ubyte.gz")) {
            if (images.readInt() != 0x803 || labels.readInt() != 0x801) {
                throw new IllegalStateException("bad IDX magic in bundled " + prefix + " files");
            }
            int n = images.readInt();
            int dim = images.readInt() * images.readInt();
            if (labels.readInt() != n) {
                throw new IllegalStateException("image and label counts differ in bundled " + prefix);
            }
            byte[] pixels = images.readNBytes(n * dim);
            byte[] classes = labels.readNBytes(n);
            float[] x = new float[n * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = (pixels[i] & 0xff) / 255f;
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = classes[i];
            }
            return new ArrayDataset(x, y, dim, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream in = BundledMnist.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("bundled resource missing: " + DIR + name);
        }
        return new DataInputStream(new GZIPInputStream(in));
    }
}
