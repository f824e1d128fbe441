package io.starling.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Synthetic(alpha, beta) federated classification data of FedProx (Li et al., "Federated
 * Optimization in Heterogeneous Networks", MLSys 2020), generated here rather than downloaded,
 * so experiments can dial heterogeneity: alpha controls how much the clients' <em>models</em>
 * differ, beta how much their <em>inputs</em> differ.
 *
 * <p>Generative process for client k (normal distributions written with their standard
 * deviation, as in the paper's reference code):
 * <ol>
 *   <li>u_k ~ N(0, alpha); W_k ~ N(u_k, 1) of shape dim x classes; b_k ~ N(u_k, 1) of length
 *       classes.</li>
 *   <li>B_k ~ N(0, beta); v_k ~ N(B_k, 1) of length dim.</li>
 *   <li>Each example: x ~ N(v_k, Sigma) with diagonal Sigma_jj = j^-1.2 (j = 1..dim), and label
 *       y = argmax(softmax(x W_k + b_k)) = argmax(x W_k + b_k).</li>
 *   <li>n_k examples, n_k drawn from {@link SampleSizes}: by default the reference code's
 *       {@code floor(lognormal(4, 2)) + 50}, a heavy-tailed ("power law") spread of client sizes.</li>
 * </ol>
 * In the IID variant every client shares one W, b ~ N(0, 1) and draws x ~ N(0, Sigma).
 *
 * <p>A property of the process worth knowing when reading FedProx's results: u_k shifts every
 * entry of W_k and b_k by the same amount, which adds the same value to every class's logit, so
 * alpha never changes a label (the same seed gives the same labels for any alpha). Clients'
 * labelling functions differ through W_k's own unit-variance draws; beta is what moves the
 * clients' inputs, and with them their label mixes, apart.
 * Each client's examples are split 90/10 into its training set and its share of the pooled test
 * set, as in the reference code. Everything is a deterministic function of the seed.
 */
public final class SyntheticFedProx {
    /** Input dimension of the paper's experiments. */
    public static final int DEFAULT_DIM = 60;
    /** Number of classes of the paper's experiments. */
    public static final int DEFAULT_CLASSES = 10;
    /** Share of each client's examples kept for training (the rest goes to the test set). */
    public static final double TRAIN_SHARE = 0.9;

    private SyntheticFedProx() {
    }

    /** How many examples each client gets. */
    public sealed interface SampleSizes {
        /** The size of one client, drawn from {@code rng}. */
        int draw(SplittableRandom rng);

        /**
         * {@code min(maximum, floor(exp(N(mu, sigma))) + offset)}.
         *
         * @param maximum cap on a client's size (heavy tails can otherwise reach 10^5 and more)
         */
        record LogNormal(double mu, double sigma, int offset, int maximum) implements SampleSizes {
            public LogNormal {
                if (!(sigma >= 0) || !Double.isFinite(mu) || !Double.isFinite(sigma)) {
                    throw new IllegalArgumentException("need finite mu and sigma >= 0, got " + mu + ", " + sigma);
                }
                if (offset < 2 || maximum < offset) {
                    throw new IllegalArgumentException("need 2 <= offset <= maximum, got " + offset + ", " + maximum);
                }
            }

            @Override
            public int draw(SplittableRandom rng) {
                double v = Math.floor(Math.exp(mu + sigma * rng.nextGaussian())) + offset;
                return (int) Math.min(maximum, v);
            }
        }

        /** Every client gets {@code n} examples. */
        record Fixed(int n) implements SampleSizes {
            public Fixed {
                if (n < 2) {
                    throw new IllegalArgumentException("each client needs >= 2 examples (train and test), got " + n);
                }
            }

            @Override
            public int draw(SplittableRandom rng) {
                return n;
            }
        }

        /**
         * The FedProx reference code's sizes, {@code floor(lognormal(4, 2)) + 50}, capped only so
         * that a client's array stays addressable at the default dimension.
         */
        static SampleSizes fedProx() {
            return new LogNormal(4, 2, 50, Integer.MAX_VALUE / DEFAULT_DIM);
        }
    }

    /**
     * The generated federation.
     *
     * @param clients each client's training data
     * @param clientTests each client's held-out data
     * @param test all clients' held-out data pooled, for global accuracy
     */
    public record FederatedData(List<Dataset> clients, List<Dataset> clientTests, Dataset test) {
        public FederatedData {
            clients = List.copyOf(clients);
            clientTests = List.copyOf(clientTests);
        }
    }

    /** Synthetic(alpha, beta) with the paper's dimensions (60 features, 10 classes) and sizes. */
    public static FederatedData generate(int numClients, double alpha, double beta, long seed) {
        return generate(numClients, alpha, beta, DEFAULT_DIM, DEFAULT_CLASSES, SampleSizes.fedProx(), false, seed);
    }

    /**
     * @param iid if true, the Synthetic-IID variant (alpha and beta are then ignored)
     */
    public static FederatedData generate(int numClients, double alpha, double beta, int dim, int classes,
                                         SampleSizes sizes, boolean iid, long seed) {
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, got " + numClients);
        }
        if (!(alpha >= 0) || !(beta >= 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("alpha and beta must be finite and >= 0, got " + alpha + ", " + beta);
        }
        if (dim < 1 || classes < 2) {
            throw new IllegalArgumentException("need dim >= 1 and classes >= 2, got " + dim + ", " + classes);
        }
        SplittableRandom master = new SplittableRandom(seed);
        double[] sigma = new double[dim];
        for (int j = 0; j < dim; j++) {
            sigma[j] = Math.sqrt(Math.pow(j + 1, -1.2));
        }
        float[] sharedW = iid ? gaussian(master, dim * classes, 0) : null;
        float[] sharedB = iid ? gaussian(master, classes, 0) : null;
        List<Dataset> clients = new ArrayList<>(numClients);
        List<Dataset> clientTests = new ArrayList<>(numClients);
        long testRows = 0;
        for (int k = 0; k < numClients; k++) {
            SplittableRandom rng = master.split();
            int n = sizes.draw(rng);
            float[] w;
            float[] b;
            double[] v = new double[dim];
            if (iid) {
                w = sharedW;
                b = sharedB;
            } else {
                double u = alpha * rng.nextGaussian();
                w = gaussian(rng, dim * classes, u);
                b = gaussian(rng, classes, u);
                double bigB = beta * rng.nextGaussian();
                for (int j = 0; j < dim; j++) {
                    v[j] = bigB + rng.nextGaussian();
                }
            }
            float[] x = new float[n * dim];
            int[] y = new int[n];
            double[] logits = new double[classes];
            for (int i = 0; i < n; i++) {
                int row = i * dim;
                for (int j = 0; j < dim; j++) {
                    x[row + j] = (float) (v[j] + sigma[j] * rng.nextGaussian());
                }
                for (int c = 0; c < classes; c++) {
                    logits[c] = b[c];
                }
                for (int j = 0; j < dim; j++) {
                    double xj = x[row + j];
                    int wRow = j * classes;
                    for (int c = 0; c < classes; c++) {
                        logits[c] += xj * w[wRow + c];
                    }
                }
                y[i] = argmax(logits);
            }
            int train = Math.max(1, Math.min(n - 1, (int) (TRAIN_SHARE * n)));
            clients.add(slice(x, y, 0, train, dim, classes));
            clientTests.add(slice(x, y, train, n, dim, classes));
            testRows += n - train;
        }
        return new FederatedData(clients, clientTests, pool(clientTests, testRows, dim, classes));
    }

    private static float[] gaussian(SplittableRandom rng, int n, double mean) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + rng.nextGaussian());
        }
        return out;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Dataset slice(float[] x, int[] y, int from, int to, int dim, int classes) {
        float[] xs = new float[(to - from) * dim];
        System.arraycopy(x, from * dim, xs, 0, xs.length);
        int[] ys = new int[to - from];
        System.arraycopy(y, from, ys, 0, ys.length);
        return new ArrayDataset(xs, ys, dim, classes);
    }

    private static Dataset pool(List<Dataset> parts, long rows, int dim, int classes) {
        if (rows * dim > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("pooled test set of " + rows + " rows is too large; cap the client sizes");
        }
        float[] x = new float[(int) rows * dim];
        int[] y = new int[(int) rows];
        int at = 0;
        for (Dataset p : parts) {
            System.arraycopy(p.features(), 0, x, at * dim, p.size() * dim);
            System.arraycopy(p.labels(), 0, y, at, p.size());
            at += p.size();
        }
        return new ArrayDataset(x, y, dim, classes);
    }
}
