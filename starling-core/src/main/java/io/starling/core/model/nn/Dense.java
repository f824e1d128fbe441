package io.starling.core.model.nn;

import java.util.SplittableRandom;

/**
 * Fully connected layer {@code out = in · W + b}, the workhorse of logistic regression and MLPs.
 *
 * <p>Parameter layout in its slice: {@code W} row-major as {@code [inputSize][outputSize]}, then
 * {@code b[outputSize]}. Every loop runs in i-k-j order so the innermost loop walks a contiguous
 * row of {@code W} (or of the gradient) with a scalar multiplier: an axpy, done by the
 * {@link Kernels} (SIMD when the Vector API is enabled).
 * Zero inputs are skipped, which pays off twice: MNIST pixels are mostly zero, and so are about
 * half of the ReLU activations feeding hidden layers.
 */
public final class Dense implements Layer {
    /** How initial weights are drawn; biases always start at zero. */
    public enum Init {
        /** He/Kaiming uniform, U(±sqrt(6 / fanIn)): for layers followed by ReLU. */
        HE,
        /** Glorot/Xavier uniform, U(±sqrt(6 / (fanIn + fanOut))): for layers feeding softmax. */
        GLOROT
    }

    private static final Kernels K = Kernels.active();

    private final int inputSize;
    private final int outputSize;
    private final Init init;

    public Dense(int inputSize, int outputSize, Init init) {
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException(
                    "dense layer sizes must be >= 1, got " + inputSize + " -> " + outputSize);
        }
        if ((long) inputSize * outputSize + outputSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dense layer " + inputSize + " -> " + outputSize
                    + " has more than 2^31 parameters");
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.init = init;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    @Override
    public int paramCount() {
        return inputSize * outputSize + outputSize;
    }

    @Override
    public void initParams(float[] params, int offset, SplittableRandom rng) {
        double limit = switch (init) {
            case HE -> Math.sqrt(6.0 / inputSize);
            case GLOROT -> Math.sqrt(6.0 / (inputSize + outputSize));
        };
        int weights = inputSize * outputSize;
        for (int i = 0; i < weights; i++) {
            params[offset + i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        java.util.Arrays.fill(params, offset + weights, offset + weights + outputSize, 0f);
    }

    @Override
    public void forward(float[] params, int offset, float[] in, float[] out, int batch, boolean training) {
        final int n = inputSize;
        final int m = outputSize;
        final int biasOffset = offset + n * m;
        for (int b = 0; b < batch; b++) {
            final int outRow = b * m;
            System.arraycopy(params, biasOffset, out, outRow, m);
            final int inRow = b * n;
            for (int i = 0; i < n; i++) {
                final float a = in[inRow + i];
                if (a == 0f) {
                    continue;
                }
                K.axpy(a, params, offset + i * m, out, outRow, m);
            }
        }
    }

    @Override
    public void backward(float[] params, float[] grads, int offset, float[] in, float[] out, float[] gradOut,
                         float[] gradIn, int batch) {
        final int n = inputSize;
        final int m = outputSize;
        final int biasOffset = offset + n * m;
        for (int b = 0; b < batch; b++) {
            final int gRow = b * m;
            K.axpy(1f, gradOut, gRow, grads, biasOffset, m);
            final int inRow = b * n;
            for (int i = 0; i < n; i++) {
                final float a = in[inRow + i];
                if (a == 0f) {
                    continue;
                }
                K.axpy(a, gradOut, gRow, grads, offset + i * m, m);
            }
        }
        if (gradIn != null) {
            inputGradient(params, offset, gradOut, gradIn, batch);
        }
    }

    /** dLoss/dIn = gradOut · Wᵀ: one dot product per (example, input). */
    private void inputGradient(float[] params, int offset, float[] gradOut, float[] gradIn, int batch) {
        final int n = inputSize;
        final int m = outputSize;
        for (int b = 0; b < batch; b++) {
            final int gRow = b * m;
            final int inRow = b * n;
            for (int i = 0; i < n; i++) {
                gradIn[inRow + i] = K.dot(gradOut, gRow, params, offset + i * m, m);
            }
        }
    }

    @Override
    public Layer copy() {
        return this;
    }

    @Override
    public String describe() {
        return "dense(" + inputSize + "->" + outputSize + ")";
    }
}
