package io.starling.core.model.nn;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each activation is zeroed with probability {@code rate} and the
 * survivors are scaled by {@code 1 / (1 - rate)}, so evaluation is the identity. The mask is kept
 * per batch (grown by {@link #ensureBatchCapacity}) for backward. Masks come from a
 * {@link SplittableRandom} restarted by {@link #reseed}, which a model calls at the start of every
 * training call, so training stays a function of parameters, data and config.
 */
public final class Dropout implements ParameterFreeLayer {
    private final int size;
    private final double rate;
    private final float keepScale;
    private float[] mask = new float[0];
    private SplittableRandom rng = new SplittableRandom(0);

    /**
     * @param size activations per example
     * @param rate probability of dropping an activation, in [0, 1)
     */
    public Dropout(int size, double rate) {
        if (size < 1) {
            throw new IllegalArgumentException("dropout size must be >= 1, got " + size);
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.size = size;
        this.rate = rate;
        this.keepScale = (float) (1.0 / (1.0 - rate));
    }

    public double rate() {
        return rate;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public void ensureBatchCapacity(int batch) {
        if (mask.length < batch * size) {
            mask = new float[batch * size];
        }
    }

    @Override
    public void forward(float[] params, int offset, float[] input, float[] output, int batch, boolean training) {
        final int len = batch * size;
        if (!training || rate == 0) {
            System.arraycopy(input, 0, output, 0, len);
            return;
        }
        if (mask.length < len) {
            throw new IllegalStateException("dropout scratch holds " + mask.length / size + " examples, batch is "
                    + batch + "; call ensureBatchCapacity first");
        }
        for (int i = 0; i < len; i++) {
            mask[i] = rng.nextDouble() < rate ? 0f : keepScale;
        }
        for (int i = 0; i < len; i++) {
            output[i] = input[i] * mask[i];
        }
    }

    /** Backward of the last training forward: {@code gradIn = gradOut * mask}. */
    @Override
    public void backward(float[] params, float[] grads, int offset, float[] input, float[] output, float[] gradOut,
                         float[] gradIn, int batch) {
        if (gradIn == null) {
            return;
        }
        final int len = batch * size;
        if (rate == 0) {
            System.arraycopy(gradOut, 0, gradIn, 0, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            gradIn[i] = gradOut[i] * mask[i];
        }
    }

    /** A fresh instance: copies must not share the mask or the random stream. */
    @Override
    public Layer copy() {
        return new Dropout(size, rate);
    }

    @Override
    public String describe() {
        return "dropout(" + size + ", " + rate + ")";
    }
}
