package io.starling.core.federated;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.core.data.TrainTestSplit;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Stop-gap data for the federated-loop tests until the data package ({@code Mnist10k.load()} and
 * the Dirichlet partitioner) is on main: reads the bundled mnist10k resources and splits them
 * with per-class Dirichlet(alpha) proportions across clients.
 */
final class FederatedFixtures {
    private static final String DIR = "/io/starling/core/data/mnist10k/";
    private static TrainTestSplit cached;

    private FederatedFixtures() {
    }

    static synchronized TrainTestSplit mnist10k() {
        if (cached == null) {
            cached = new TrainTestSplit(read("train"), read("t10k"));
        }
        return cached;
    }

    /** Label-skewed client datasets: class c's examples are split by proportions ~ Dir(alpha). */
    static List<Dataset> dirichletClients(Dataset data, int clients, double alpha, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < data.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.labels()[i]).add(i);
        }
        List<List<Integer>> assigned = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            assigned.add(new ArrayList<>());
        }
        for (List<Integer> indices : byClass) {
            for (int i = indices.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer t = indices.get(i);
                indices.set(i, indices.get(j));
                indices.set(j, t);
            }
            double[] p = new double[clients];
            double sum = 0;
            for (int k = 0; k < clients; k++) {
                p[k] = gamma(alpha, random);
                sum += p[k];
            }
            int start = 0;
            double cumulative = 0;
            for (int k = 0; k < clients; k++) {
                cumulative += p[k] / sum;
                int end = k == clients - 1 ? indices.size() : (int) Math.round(cumulative * indices.size());
                assigned.get(k).addAll(indices.subList(start, Math.max(start, end)));
                start = Math.max(start, end);
            }
        }
        List<Dataset> result = new ArrayList<>();
        for (List<Integer> rows : assigned) {
            result.add(data.subset(rows.stream().mapToInt(Integer::intValue).toArray()));
        }
        return result;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang, boosted for shape < 1. */
    private static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
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
        InputStream in = FederatedFixtures.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("bundled resource missing: " + DIR + name);
        }
        return new DataInputStream(new GZIPInputStream(in));
    }
}
