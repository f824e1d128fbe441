package io.starling.core.model.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A feed-forward stack of {@link Layer}s ending in logits for softmax cross-entropy: the engine
 * behind the built-in models.
 *
 * <p>Design: all parameters live in one flat {@code float[]} (each layer owns a contiguous slice)
 * with a gradient array of the same layout, so an optimizer step is one loop and exchanging a
 * model is one array copy. Activations and their gradients are preallocated per batch size —
 * {@code activation[0]} is the input buffer the caller fills, {@code activation[i + 1]} the
 * output of layer {@code i} — and only grow when a larger batch arrives, so a training loop
 * allocates nothing per batch or per example.
 *
 * <p>Not thread-safe: the buffers are shared by every call.
 */
public final class Sequential {
    private final List<Layer> layers;
    private final int[] offsets;
    private final float[] params;
    private final float[] grads;
    private final int inputSize;
    private final int outputSize;

    private int capacity;
    private float[][] activations;
    private float[][] activationGrads;

    /**
     * Builds the network and initialises its parameters from {@code seed}.
     *
     * @throws IllegalArgumentException if the list is empty or a layer's input size differs from
     *     the previous layer's output size
     */
    public Sequential(List<Layer> layers, long seed) {
        this(List.copyOf(layers));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < this.layers.size(); l++) {
            this.layers.get(l).initParams(params, offsets[l], rng);
        }
    }

    private Sequential(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.layers = layers;
        this.offsets = new int[layers.size()];
        long total = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (l > 0 && layers.get(l - 1).outputSize() != layer.inputSize()) {
                throw new IllegalArgumentException("layer " + l + " " + layer.describe() + " expects "
                        + layer.inputSize() + " inputs but " + layers.get(l - 1).describe()
                        + " produces " + layers.get(l - 1).outputSize());
            }
            offsets[l] = (int) total;
            total += layer.paramCount();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("network has more than 2^31 parameters");
            }
        }
        this.params = new float[(int) total];
        this.grads = new float[(int) total];
        this.inputSize = layers.get(0).inputSize();
        this.outputSize = layers.get(layers.size() - 1).outputSize();
        this.activations = new float[layers.size() + 1][];
        this.activationGrads = new float[layers.size() + 1][];
    }

    /** An independent network with the same layers and a copy of the parameters. */
    public Sequential copy() {
        List<Layer> fresh = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            fresh.add(layer.copy());
        }
        Sequential c = new Sequential(List.copyOf(fresh));
        System.arraycopy(params, 0, c.params, 0, params.length);
        return c;
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public int paramCount() {
        return params.length;
    }

    /** The live parameter array; writing to it changes the network. */
    public float[] params() {
        return params;
    }

    /** The live gradient array filled by {@link #backward}; same layout as {@link #params()}. */
    public float[] grads() {
        return grads;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Offset of layer {@code l}'s slice in {@link #params()}. */
    public int paramOffset(int l) {
        return offsets[l];
    }

    /** Restarts the randomness of every layer (dropout masks) from {@code seed}, one stream per layer. */
    public void reseed(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Layer layer : layers) {
            layer.reseed(rng.nextLong());
        }
    }

    /** Makes every buffer hold at least {@code batch} examples; allocates only when growing. */
    public void ensureCapacity(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (batch <= capacity) {
            return;
        }
        activations[0] = new float[batch * inputSize];
        activationGrads[0] = null;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            activations[l + 1] = new float[batch * layer.outputSize()];
            activationGrads[l + 1] = new float[batch * layer.outputSize()];
            layer.ensureBatchCapacity(batch);
        }
        capacity = batch;
    }

    /** The input buffer for up to the current capacity; fill {@code [0, batch * inputSize())}. */
    public float[] input() {
        if (capacity == 0) {
            throw new IllegalStateException("call ensureCapacity before input()");
        }
        return activations[0];
    }

    /** Runs every layer on the first {@code batch} rows of {@link #input()}; returns the logits buffer. */
    public float[] forward(int batch, boolean training) {
        checkBatch(batch);
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(params, offsets[l], activations[l], activations[l + 1], batch, training);
        }
        return activations[layers.size()];
    }

    /**
     * After {@link #forward}: computes the summed softmax cross-entropy against {@code labels},
     * overwrites {@link #grads()} with the gradient of the mean loss, and returns the summed loss.
     */
    public double backward(int[] labels, int batch) {
        checkBatch(batch);
        int last = layers.size();
        double loss = SoftmaxCrossEntropy.lossAndGradient(activations[last], labels, batch, outputSize,
                activationGrads[last]);
        Arrays.fill(grads, 0f);
        for (int l = last - 1; l >= 0; l--) {
            float[] gradIn = l == 0 ? null : activationGrads[l];
            layers.get(l).backward(params, grads, offsets[l], activations[l], activations[l + 1],
                    activationGrads[l + 1], gradIn, batch);
        }
        return loss;
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside [1, " + capacity
                    + "]; call ensureCapacity first");
        }
    }

    /** E.g. {@code dense(784->128) > relu(128) > dense(128->10)}. */
    public String describe() {
        return layers.stream().map(Layer::describe).collect(Collectors.joining(" > "));
    }
}
