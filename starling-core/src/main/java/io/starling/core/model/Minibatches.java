package io.starling.core.model;

import io.starling.core.data.Dataset;
import java.util.SplittableRandom;

/**
 * Seeded minibatch order over a dataset, shared by every {@link Model} engine: each epoch visits
 * every example once in a fresh Fisher-Yates order, and the last batch of an epoch may be short.
 * Given the same seed the built-in and the DJL engine see the same batches (their parity test
 * depends on it).
 */
public final class Minibatches {
    private final float[] features;
    private final int[] labels;
    private final int featureDim;
    private final int batchSize;
    private final int[] order;
    private final SplittableRandom rng;
    private int cursor;

    /** @param batchSize the configured batch size; capped at the dataset size */
    public Minibatches(Dataset data, int batchSize, long seed) {
        this.features = data.features();
        this.labels = data.labels();
        this.featureDim = data.featureDim();
        this.batchSize = Math.min(batchSize, data.size());
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.rng = new SplittableRandom(seed);
        this.cursor = order.length;
    }

    /** The batch size in use: the configured one, at most the dataset size. */
    public int batchSize() {
        return batchSize;
    }

    /** How many steps {@code config} asks for: {@code maxSteps} if set, else whole epochs. */
    public long totalSteps(TrainConfig config) {
        long stepsPerEpoch = (order.length + batchSize - 1) / batchSize;
        return config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch;
    }

    /**
     * Copies the next batch's features into {@code batchFeatures} (row-major) and its labels into
     * {@code batchLabels}; returns how many examples it holds.
     */
    public int next(float[] batchFeatures, int[] batchLabels) {
        if (cursor >= order.length) {
            TrainingData.shuffle(order, rng);
            cursor = 0;
        }
        final int batch = Math.min(batchSize, order.length - cursor);
        for (int r = 0; r < batch; r++) {
            int row = order[cursor + r];
            System.arraycopy(features, row * featureDim, batchFeatures, r * featureDim, featureDim);
            batchLabels[r] = labels[row];
        }
        cursor += batch;
        return batch;
    }
}
