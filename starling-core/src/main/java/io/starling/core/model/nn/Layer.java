package io.starling.core.model.nn;

import java.util.SplittableRandom;

/**
 * One stage of a {@link Sequential} network, working on a whole minibatch at once.
 *
 * <p>Activations are flat row-major {@code float[]} buffers: example {@code b} of a batch occupies
 * {@code [b * size, (b + 1) * size)} where size is {@link #inputSize()} or {@link #outputSize()}.
 * A layer owns no parameters: it reads its slice {@code [offset, offset + paramCount())} of the
 * network's one flat parameter array and adds its gradient into the same slice of the gradient
 * array. That keeps the model's state one {@code float[]} (what federated learning exchanges) and
 * lets a gradient check drive a layer alone.
 *
 * <p>Implementations must not allocate per example or per batch. A layer that needs scratch space
 * whose size depends on the batch (max-pool argmax indices, dropout masks, im2col buffers) grows
 * it in {@link #ensureBatchCapacity(int)}, which the network calls before a larger batch than
 * ever before; such a layer returns a fresh instance from {@link #copy()} so copies never share
 * scratch.
 */
public interface Layer {
    /** Floats per example read by {@link #forward}. */
    int inputSize();

    /** Floats per example written by {@link #forward}. */
    int outputSize();

    /** Number of parameters in this layer's slice of the flat parameter array. */
    int paramCount();

    /** Writes initial values into {@code params[offset .. offset + paramCount())}. */
    void initParams(float[] params, int offset, SplittableRandom rng);

    /**
     * Computes {@code out[0 .. batch * outputSize())} from {@code in[0 .. batch * inputSize())}.
     *
     * @param training true inside a training step (layers such as dropout behave differently)
     */
    void forward(float[] params, int offset, float[] in, float[] out, int batch, boolean training);

    /**
     * Back-propagates {@code gradOut} (dLoss/dOut) given the {@code in} and {@code out} of the last
     * forward call: <em>adds</em> dLoss/dParams into {@code grads[offset ..]} and, unless
     * {@code gradIn} is null (the first layer needs no input gradient), <em>writes</em> dLoss/dIn.
     */
    void backward(float[] params, float[] grads, int offset, float[] in, float[] out, float[] gradOut,
                  float[] gradIn, int batch);

    /**
     * Restarts the randomness this layer uses in training (dropout masks) from {@code seed}. A
     * model calls it at the start of every training call, so that training depends only on the
     * parameters, the data and the config. Layers without randomness ignore it.
     */
    default void reseed(long seed) {
    }

    /** Grows any per-batch scratch space to hold {@code batch} examples. */
    default void ensureBatchCapacity(int batch) {
    }

    /** A layer of the same shape that shares no mutable state with this one. */
    Layer copy();

    /** Short description for model specs and logs, e.g. {@code dense(784->128)}. */
    String describe();
}
