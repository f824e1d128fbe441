package io.starling.core.model.nn;

import java.util.Arrays;

/**
 * Max-pooling over square windows, channel by channel; no parameters. Windows that would run
 * past the edge are dropped (PyTorch's default floor mode). The forward pass records the index of
 * each window's maximum (the first one on ties, as PyTorch) in a per-batch buffer grown by
 * {@link #ensureBatchCapacity}, so backward routes each output gradient to that one input.
 */
public final class MaxPool2d implements ParameterFreeLayer {
    private final FeatureMapShape in;
    private final FeatureMapShape out;
    private final int window;
    private final int stride;
    private int[] argmax = new int[0];

    /**
     * @param in shape of the input feature maps
     * @param window window height and width
     * @param stride step between windows
     */
    public MaxPool2d(FeatureMapShape in, int window, int stride) {
        if (window < 1 || stride < 1 || window > in.height() || window > in.width()) {
            throw new IllegalArgumentException("max-pool window " + window + " with stride " + stride
                    + " does not fit input " + in);
        }
        this.in = in;
        this.out = new FeatureMapShape(in.channels(), (in.height() - window) / stride + 1,
                (in.width() - window) / stride + 1);
        this.window = window;
        this.stride = stride;
    }

    /** Shape of the pooled feature maps. */
    public FeatureMapShape outputShape() {
        return out;
    }

    @Override
    public int inputSize() {
        return in.size();
    }

    @Override
    public int outputSize() {
        return out.size();
    }

    @Override
    public void ensureBatchCapacity(int batch) {
        if (argmax.length < batch * out.size()) {
            argmax = new int[batch * out.size()];
        }
    }

    @Override
    public void forward(float[] params, int offset, float[] input, float[] output, int batch, boolean training) {
        if (argmax.length < batch * out.size()) {
            throw new IllegalStateException("max-pool scratch holds " + argmax.length / out.size()
                    + " examples, batch is " + batch + "; call ensureBatchCapacity first");
        }
        final int h = in.height();
        final int w = in.width();
        final int outH = out.height();
        final int outW = out.width();
        final int planes = batch * in.channels();
        for (int pl = 0; pl < planes; pl++) {
            final int inPlane = pl * h * w;
            final int outPlane = pl * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int best = inPlane + oy * stride * w + ox * stride;
                    float max = input[best];
                    for (int ky = 0; ky < window; ky++) {
                        final int row = inPlane + (oy * stride + ky) * w + ox * stride;
                        for (int kx = 0; kx < window; kx++) {
                            final float v = input[row + kx];
                            if (v > max) {
                                max = v;
                                best = row + kx;
                            }
                        }
                    }
                    output[outPlane + oy * outW + ox] = max;
                    argmax[outPlane + oy * outW + ox] = best;
                }
            }
        }
    }

    @Override
    public void backward(float[] params, float[] grads, int offset, float[] input, float[] output, float[] gradOut,
                         float[] gradIn, int batch) {
        if (gradIn == null) {
            return;
        }
        Arrays.fill(gradIn, 0, batch * in.size(), 0f);
        final int len = batch * out.size();
        for (int i = 0; i < len; i++) {
            gradIn[argmax[i]] += gradOut[i];
        }
    }

    /** A fresh instance: copies must not share the argmax buffer. */
    @Override
    public Layer copy() {
        return new MaxPool2d(in, window, stride);
    }

    @Override
    public String describe() {
        return "maxpool(" + in + "->" + out + ", " + window + (stride != window ? " s" + stride : "") + ")";
    }
}
