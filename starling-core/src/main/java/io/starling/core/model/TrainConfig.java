package io.starling.core.model;

/**
 * Hyper-parameters of one local training call.
 *
 * @param epochs passes over the data (>= 1), ignored when {@code maxSteps > 0}
 * @param maxSteps if > 0, stop after this many minibatch steps instead of whole epochs
 * @param batchSize minibatch size
 * @param learningRate SGD step size
 * @param momentum heavy-ball momentum in [0, 1)
 * @param weightDecay L2 penalty coefficient
 * @param seed seed for shuffling and any other randomness of this call
 * @param optimizer update rule; {@link OptimizerKind#SGD} unless chosen otherwise
 */
public record TrainConfig(int epochs, int maxSteps, int batchSize, double learningRate, double momentum,
                          double weightDecay, long seed, OptimizerKind optimizer) {
    public TrainConfig {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        if (epochs < 1 && maxSteps <= 0) {
            throw new IllegalArgumentException("epochs must be >= 1 (or maxSteps > 0), got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
    }

    /** A config with {@link OptimizerKind#SGD}, the original seven-parameter form. */
    public TrainConfig(int epochs, int maxSteps, int batchSize, double learningRate, double momentum,
                       double weightDecay, long seed) {
        this(epochs, maxSteps, batchSize, learningRate, momentum, weightDecay, seed, OptimizerKind.SGD);
    }

    /** Defaults that train the built-in models well on MNIST-like data. */
    public static TrainConfig defaults() {
        return new TrainConfig(1, 0, 32, 0.05, 0.9, 1e-4, 1L);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, maxSteps, batchSize, learningRate, momentum, weightDecay, seed, optimizer);
    }

    public TrainConfig withMaxSteps(int s) {
        return new TrainConfig(epochs, s, batchSize, learningRate, momentum, weightDecay, seed, optimizer);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, maxSteps, b, learningRate, momentum, weightDecay, seed, optimizer);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(epochs, maxSteps, batchSize, lr, momentum, weightDecay, seed, optimizer);
    }

    public TrainConfig withMomentum(double m) {
        return new TrainConfig(epochs, maxSteps, batchSize, learningRate, m, weightDecay, seed, optimizer);
    }

    public TrainConfig withWeightDecay(double wd) {
        return new TrainConfig(epochs, maxSteps, batchSize, learningRate, momentum, wd, seed, optimizer);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, maxSteps, batchSize, learningRate, momentum, weightDecay, s, optimizer);
    }

    public TrainConfig withOptimizer(OptimizerKind o) {
        return new TrainConfig(epochs, maxSteps, batchSize, learningRate, momentum, weightDecay, seed, o);
    }
}
