package io.starling.core.model.nn;

/** Rectified linear unit {@code max(0, x)}, element-wise; no parameters. */
public final class Relu implements ParameterFreeLayer {
    private final int size;

    public Relu(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("relu size must be >= 1, got " + size);
        }
        this.size = size;
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
    public void forward(float[] params, int offset, float[] in, float[] out, int batch, boolean training) {
        final int len = batch * size;
        for (int i = 0; i < len; i++) {
            out[i] = Math.max(in[i], 0f);
        }
    }

    @Override
    public void backward(float[] params, float[] grads, int offset, float[] in, float[] out, float[] gradOut,
                         float[] gradIn, int batch) {
        if (gradIn == null) {
            return;
        }
        final int len = batch * size;
        for (int i = 0; i < len; i++) {
            gradIn[i] = out[i] > 0f ? gradOut[i] : 0f;
        }
    }

    @Override
    public Layer copy() {
        return this;
    }

    @Override
    public String describe() {
        return "relu(" + size + ")";
    }
}
