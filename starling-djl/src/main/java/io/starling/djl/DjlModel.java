package io.starling.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.starling.core.data.Dataset;
import io.starling.core.model.Metrics;
import io.starling.core.model.Minibatches;
import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.model.TrainingData;
import io.starling.core.model.TrainingDivergedException;
import io.starling.core.model.nn.Adam;
import io.starling.core.param.ParamVector;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A {@link Model} trained by DJL's PyTorch engine (CPU), for networks bigger than the built-in
 * engine handles comfortably. Everything federated learning sees is the same as for a built-in
 * model of the same spec: one flat {@link ParamVector} in the same layout, the same batching and
 * the same SGD-with-momentum rule, so the two engines can even be mixed in one federation.
 *
 * <h2>Flat parameter layout</h2>
 * The block's parameters in declaration order (each layer's weight, then its bias), each flattened
 * row-major, with one change: a linear layer's weight, which PyTorch stores as
 * {@code [out][in]}, is transposed to {@code [in][out]} (the built-in dense layout). Convolution
 * weights keep PyTorch's {@code [outChannels][inChannels][kernelH][kernelW]}, which is also the
 * built-in conv layout. For {@code cnn-lenet5} that is conv1 W(6,1,5,5) b(6), conv2 W(16,6,5,5)
 * b(16), fc1 W(400,120) b(120), fc2 W(120,84) b(84), fc3 W(84,C) b(C): 61,706 floats for C = 10.
 *
 * <h2>Training</h2>
 * Each {@link #train} call shuffles with a fresh {@link SplittableRandom} seeded from
 * {@link TrainConfig#seed()} (one Fisher-Yates permutation per epoch, as the built-in engine),
 * starts with zero momentum, and runs DJL's SGD update: {@code v = mu v + lr (g + wd w);
 * w -= v}, equal to PyTorch's {@code torch.optim.SGD} for a constant learning rate, or, with
 * {@link io.starling.core.model.OptimizerKind#ADAM}, DJL's Adam with the built-in engine's β1, β2
 * and ε (DJL adds ε to the uncorrected {@code sqrt(v)}, a difference of order ε). Loss is
 * softmax cross-entropy averaged over the batch.
 *
 * <p>DJL allows one gradient collector per JVM at a time, so training calls of all DJL models in a
 * JVM are serialised on one lock. Native memory is freed by {@link #close()} or, failing that,
 * when the model becomes unreachable.
 */
public final class DjlModel implements Model, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    /** DJL's PyTorch gradient collector is a JVM-wide singleton. */
    private static final Object TRAINING_LOCK = new Object();
    private static final int EVAL_BATCH = 256;

    private final DjlArchitecture architecture;
    private final ai.djl.Model model;
    private final Block block;
    private final List<Parameter> parameters;
    private final int paramCount;
    private final Cleaner.Cleanable cleanable;

    private DjlModel(DjlArchitecture architecture) {
        PyTorchRuntime.engine();
        this.architecture = architecture;
        ai.djl.Model m = ai.djl.Model.newInstance("starling-" + architecture.spec(), Device.cpu(), "PyTorch");
        this.model = m;
        this.cleanable = CLEANER.register(this, m::close);
        this.block = architecture.newBlock();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, batchShape(1));
        List<Parameter> params = new ArrayList<>();
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            params.add(p.getValue());
            count += p.getValue().getArray().size();
        }
        this.parameters = List.copyOf(params);
        this.paramCount = Math.toIntExact(count);
    }

    /**
     * Builds {@code spec} (e.g. {@code cnn-lenet5}) for examples of {@code inputDim} features, with
     * parameters drawn from {@code seed}: weights He-uniform U(±sqrt(6/fanIn)) in hidden layers and
     * Glorot-uniform in the output layer, biases zero, drawn in flat-layout order.
     *
     * @throws UnknownDjlSpecException if the spec is unknown or does not fit the input
     * @throws DjlEngineUnavailableException if the PyTorch engine cannot start
     */
    public static DjlModel create(String spec, int inputDim, int numClasses, long seed) {
        DjlModel m = new DjlModel(DjlArchitecture.parse(spec, inputDim, numClasses));
        m.setParams(ParamVector.wrap(m.initialParams(seed)));
        return m;
    }

    @Override
    public String spec() {
        return "djl:" + architecture.spec();
    }

    @Override
    public int paramCount() {
        return paramCount;
    }

    @Override
    public ParamVector params() {
        float[] flat = new float[paramCount];
        int offset = 0;
        for (Parameter p : parameters) {
            NDArray a = p.getArray();
            float[] v = a.toFloatArray();
            if (isLinearWeight(a.getShape())) {
                int out = Math.toIntExact(a.getShape().get(0));
                int in = Math.toIntExact(a.getShape().get(1));
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        flat[offset + i * out + o] = v[o * in + i];
                    }
                }
            } else {
                System.arraycopy(v, 0, flat, offset, v.length);
            }
            offset += v.length;
        }
        return ParamVector.wrap(flat);
    }

    @Override
    public void setParams(ParamVector params) {
        params.requireSize("parameters for " + spec(), paramCount);
        params.requireFinite("parameters for " + spec());
        float[] flat = params.array();
        int offset = 0;
        for (Parameter p : parameters) {
            NDArray a = p.getArray();
            int size = Math.toIntExact(a.size());
            float[] v = new float[size];
            if (isLinearWeight(a.getShape())) {
                int out = Math.toIntExact(a.getShape().get(0));
                int in = Math.toIntExact(a.getShape().get(1));
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        v[o * in + i] = flat[offset + i * out + o];
                    }
                }
            } else {
                System.arraycopy(flat, offset, v, 0, size);
            }
            a.set(FloatBuffer.wrap(v));
            offset += size;
        }
    }

    @Override
    public TrainResult train(Dataset data, TrainConfig config) {
        checkCompatible(data, "train");
        final int d = architecture.inputDim();
        final Minibatches batches = new Minibatches(data, config.batchSize(), config.seed());
        final int batchSize = batches.batchSize();
        final long totalSteps = batches.totalSteps(config);
        final float[] batchX = new float[batchSize * d];
        final int[] batchY = new int[batchSize];
        final ParamVector before = params();

        double lossSum = 0;
        long samples = 0;
        long step = 0;
        synchronized (TRAINING_LOCK) {
            try (Trainer trainer = model.newTrainer(trainingConfig(config))) {
                trainer.initialize(batchShape(1));
                while (step < totalSteps) {
                    final int batch = batches.next(batchX, batchY);
                    double loss = trainStep(trainer, batchX, batchY, batch);
                    step++;
                    if (!Double.isFinite(loss)) {
                        setParams(before);
                        throw new TrainingDivergedException(spec(), step, loss, config.learningRate());
                    }
                    lossSum += loss * batch;
                    samples += batch;
                }
            }
        }
        return new TrainResult(samples, step, lossSum / samples);
    }

    /** One forward/backward/update on the first {@code batch} rows; returns the mean batch loss. */
    private double trainStep(Trainer trainer, float[] batchX, int[] batchY, int batch) {
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray input = step.create(FloatBuffer.wrap(batchX, 0, batch * architecture.inputDim()), batchShape(batch));
            NDArray labels = step.create(java.util.Arrays.stream(batchY, 0, batch).asLongStream().toArray());
            double loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(input));
                NDArray lossArray = trainer.getLoss().evaluate(new NDList(labels), logits);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    @Override
    public Metrics evaluate(Dataset data) {
        checkCompatible(data, "evaluate");
        final int n = data.size();
        final int d = architecture.inputDim();
        final float[] x = data.features();
        final int[] y = data.labels();
        long correct = 0;
        double lossSum = 0;
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < n; start += EVAL_BATCH) {
            final int batch = Math.min(EVAL_BATCH, n - start);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray input = scope.create(FloatBuffer.wrap(x, start * d, batch * d), batchShape(batch));
                NDArray logits = block.forward(store, new NDList(input), false).singletonOrThrow();
                float[] logProbs = logits.logSoftmax(1).toFloatArray();
                int c = architecture.numClasses();
                for (int b = 0; b < batch; b++) {
                    int label = y[start + b];
                    lossSum -= logProbs[b * c + label];
                    int best = 0;
                    for (int k = 1; k < c; k++) {
                        if (logProbs[b * c + k] > logProbs[b * c + best]) {
                            best = k;
                        }
                    }
                    if (best == label) {
                        correct++;
                    }
                }
            }
        }
        return new Metrics((double) correct / n, lossSum / n, n);
    }

    @Override
    public DjlModel copy() {
        DjlModel c = new DjlModel(architecture);
        c.setParams(params());
        return c;
    }

    /** Frees the native memory now instead of when this model becomes unreachable. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private static DefaultTrainingConfig trainingConfig(TrainConfig config) {
        Tracker lr = Tracker.fixed((float) config.learningRate());
        Optimizer optimizer = switch (config.optimizer()) {
            case SGD -> Optimizer.sgd()
                    .setLearningRateTracker(lr)
                    .optMomentum((float) config.momentum())
                    .optWeightDecays((float) config.weightDecay())
                    .build();
            case ADAM -> Optimizer.adam()
                    .optLearningRateTracker(lr)
                    .optBeta1((float) Adam.BETA1)
                    .optBeta2((float) Adam.BETA2)
                    .optEpsilon((float) Adam.EPSILON)
                    .optWeightDecays((float) config.weightDecay())
                    .build();
        };
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()});
    }

    private Shape batchShape(int batch) {
        return new Shape(batch).addAll(architecture.exampleShape());
    }

    private float[] initialParams(long seed) {
        float[] flat = new float[paramCount];
        SplittableRandom rng = new SplittableRandom(seed);
        int offset = 0;
        int lastWeight = -1;
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).getType() == Parameter.Type.WEIGHT) {
                lastWeight = i;
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Shape shape = p.getArray().getShape();
            int size = Math.toIntExact(shape.size());
            if (p.getType() == Parameter.Type.WEIGHT) {
                long fanOut = shape.get(0);
                long fanIn = shape.size() / fanOut;
                double limit = i == lastWeight ? Math.sqrt(6.0 / (fanIn + fanOut)) : Math.sqrt(6.0 / fanIn);
                for (int k = 0; k < size; k++) {
                    flat[offset + k] = (float) ((rng.nextDouble() * 2 - 1) * limit);
                }
            }
            offset += size;
        }
        return flat;
    }

    private static boolean isLinearWeight(Shape shape) {
        return shape.dimension() == 2;
    }

    private void checkCompatible(Dataset data, String action) {
        TrainingData.requireCompatible(data, spec(), architecture.inputDim(), architecture.numClasses(), action, 0);
    }
}
