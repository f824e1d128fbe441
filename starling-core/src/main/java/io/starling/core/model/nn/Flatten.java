package io.starling.core.model.nn;

/**
 * Marks the end of the convolutional part of a network: feature maps {@code C x H x W} become a
 * vector of {@code C·H·W} features in channel-major order (PyTorch's {@code flatten(1)}). Layers
 * exchange flat buffers already, so this layer only copies; it exists so that a network's layer
 * list states its shapes honestly and so that spec descriptions match PyTorch's.
 */
public final class Flatten implements ParameterFreeLayer {
    private final FeatureMapShape in;

    public Flatten(FeatureMapShape in) {
        this.in = in;
    }

    @Override
    public int inputSize() {
        return in.size();
    }

    @Override
    public int outputSize() {
        return in.size();
    }

    @Override
    public void forward(float[] params, int offset, float[] input, float[] output, int batch, boolean training) {
        System.arraycopy(input, 0, output, 0, batch * in.size());
    }

    @Override
    public void backward(float[] params, float[] grads, int offset, float[] input, float[] output, float[] gradOut,
                         float[] gradIn, int batch) {
        if (gradIn != null) {
            System.arraycopy(gradOut, 0, gradIn, 0, batch * in.size());
        }
    }

    @Override
    public Layer copy() {
        return this;
    }

    @Override
    public String describe() {
        return "flatten(" + in + "->" + in.size() + ")";
    }
}
