package io.starling.core.model;

import io.starling.core.data.Dataset;
import io.starling.core.model.nn.Adam;
import io.starling.core.model.nn.Optimizer;
import io.starling.core.model.nn.Sequential;
import io.starling.core.model.nn.SgdMomentum;
import io.starling.core.model.nn.SoftmaxCrossEntropy;
import io.starling.core.param.ParamVector;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.WeakHashMap;

/**
 * A {@link Model} over a {@link Sequential} network trained by minibatch SGD with momentum (or
 * Adam, per {@link TrainConfig#optimizer()}) and weight decay on softmax cross-entropy: the
 * built-in logistic regression, MLPs and CNNs are instances (see {@link ModelFactory}).
 *
 * <p>Determinism: initial parameters come from the constructor's network seed; each training call
 * shuffles with {@link TrainConfig#seed()} (a fresh permutation per epoch from one
 * {@link SplittableRandom}), restarts the layers' randomness (dropout) from that seed and starts
 * with zero optimizer state, so the same parameters, data and config
 * always give bit-identical results. The hot loop copies each minibatch into preallocated buffers
 * and allocates nothing per batch or per example.
 */
public final class NeuralClassifier implements Model {
    /** Batch size used by {@link #evaluate}; any value gives the same result. */
    static final int EVAL_BATCH = 256;

    private final String spec;
    private final Sequential network;
    private Optimizer sgd;
    private Optimizer adam;
    private final int numClasses;
    private int[] batchLabels = new int[0];
    /** Datasets whose first {@code n} rows were found finite, so repeated calls skip the scan. */
    private final Map<Dataset, Integer> checkedRows = new WeakHashMap<>();

    /**
     * @param spec the spec string reported by {@link #spec()}, e.g. {@code mlp(784,128,10)}
     * @param network the network; its output size is the number of classes (>= 2)
     */
    public NeuralClassifier(String spec, Sequential network) {
        if (network.outputSize() < 2) {
            throw new IllegalArgumentException("a classifier needs >= 2 outputs, got " + network.outputSize());
        }
        this.spec = spec;
        this.network = network;
        this.numClasses = network.outputSize();
    }

    @Override
    public String spec() {
        return spec;
    }

    /** Features per example this model reads. */
    public int inputDim() {
        return network.inputSize();
    }

    public int numClasses() {
        return numClasses;
    }

    /** The underlying network (live), for gradient checks and benchmarks. */
    public Sequential network() {
        return network;
    }

    @Override
    public int paramCount() {
        return network.paramCount();
    }

    @Override
    public ParamVector params() {
        return ParamVector.of(network.params());
    }

    @Override
    public void setParams(ParamVector params) {
        params.requireSize("parameters for " + spec, network.paramCount());
        params.requireFinite("parameters for " + spec);
        System.arraycopy(params.array(), 0, network.params(), 0, network.paramCount());
    }

    @Override
    public TrainResult train(Dataset data, TrainConfig config) {
        return train(data, config, TrainListener.NONE);
    }

    @Override
    public TrainResult train(Dataset data, TrainConfig config, TrainListener listener) {
        checkCompatible(data, "train");
        final Minibatches batches = new Minibatches(data, config.batchSize(), config.seed());
        final int batchSize = batches.batchSize();
        final long totalSteps = batches.totalSteps(config);

        network.ensureCapacity(batchSize);
        ensureLabelCapacity(batchSize);
        final Optimizer optimizer = optimizer(config.optimizer());
        optimizer.reset();
        network.reseed(config.seed());
        final float[] before = network.params().clone();
        final float[] input = network.input();

        double lossSum = 0;
        long samples = 0;
        long step = 0;
        while (step < totalSteps) {
            final int batch = batches.next(input, batchLabels);
            network.forward(batch, true);
            double loss = network.backward(batchLabels, batch);
            step++;
            if (!Double.isFinite(loss)) {
                System.arraycopy(before, 0, network.params(), 0, before.length);
                throw new TrainingDivergedException(spec, step, loss / batch, config.learningRate());
            }
            optimizer.step(network.params(), network.grads(), config);
            lossSum += loss;
            samples += batch;
            listener.onStep(step, totalSteps, samples);
        }
        return new TrainResult(samples, step, lossSum / samples);
    }

    @Override
    public Metrics evaluate(Dataset data) {
        checkCompatible(data, "evaluate");
        final int n = data.size();
        final int d = data.featureDim();
        final float[] x = data.features();
        final int[] y = data.labels();
        final int batchSize = Math.min(EVAL_BATCH, n);
        network.ensureCapacity(batchSize);
        ensureLabelCapacity(batchSize);
        final float[] input = network.input();
        long correct = 0;
        double lossSum = 0;
        for (int start = 0; start < n; start += batchSize) {
            final int batch = Math.min(batchSize, n - start);
            System.arraycopy(x, start * d, input, 0, batch * d);
            System.arraycopy(y, start, batchLabels, 0, batch);
            float[] logits = network.forward(batch, false);
            lossSum += SoftmaxCrossEntropy.lossAndGradient(logits, batchLabels, batch, numClasses, null);
            for (int b = 0; b < batch; b++) {
                if (SoftmaxCrossEntropy.argmax(logits, b, numClasses) == batchLabels[b]) {
                    correct++;
                }
            }
        }
        return new Metrics((double) correct / n, lossSum / n, n);
    }

    @Override
    public NeuralClassifier copy() {
        return new NeuralClassifier(spec, network.copy());
    }

    /** The optimizer for {@code kind}, created on first use and kept (its state is reset per call). */
    private Optimizer optimizer(OptimizerKind kind) {
        return switch (kind) {
            case SGD -> sgd != null ? sgd : (sgd = new SgdMomentum(network.paramCount()));
            case ADAM -> adam != null ? adam : (adam = new Adam(network.paramCount()));
        };
    }

    private void ensureLabelCapacity(int batch) {
        if (batchLabels.length < batch) {
            batchLabels = new int[batch];
        }
    }


    /**
     * Boundary check: shape and finiteness of untrusted data. Datasets are immutable by contract
     * (growable ones only append), so rows already found finite are not scanned again.
     */
    private void checkCompatible(Dataset data, String action) {
        final Integer checked = checkedRows.get(data);
        final int fromRow = checked == null || checked > data.size() ? 0 : checked;
        TrainingData.requireCompatible(data, spec, network.inputSize(), numClasses, action, fromRow);
        checkedRows.put(data, data.size());
    }
}
