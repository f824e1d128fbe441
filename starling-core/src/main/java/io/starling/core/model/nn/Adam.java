package io.starling.core.model.nn;

import io.starling.core.model.TrainConfig;
import java.util.Arrays;

/**
 * Adam (Kingma and Ba) with L2 weight decay added to the gradient, as PyTorch's
 * {@code torch.optim.Adam} computes it: {@code g = grad + wd·w; m = β1·m + (1-β1)·g;
 * v = β2·v + (1-β2)·g²; w -= lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + ε)} with β1 = 0.9,
 * β2 = 0.999, ε = 1e-8. {@link TrainConfig#momentum()} is not used. Moments and the step count
 * restart in {@link #reset()}.
 */
public final class Adam implements Optimizer {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final float[] m;
    private final float[] v;
    private long t;

    public Adam(int paramCount) {
        this.m = new float[paramCount];
        this.v = new float[paramCount];
    }

    @Override
    public void reset() {
        Arrays.fill(m, 0f);
        Arrays.fill(v, 0f);
        t = 0;
    }

    @Override
    public void step(float[] params, float[] grads, TrainConfig config) {
        if (params.length != m.length || grads.length != m.length) {
            throw new IllegalArgumentException("optimizer built for " + m.length + " parameters got "
                    + params.length + " parameters and " + grads.length + " gradients");
        }
        t++;
        final float b1 = (float) BETA1;
        final float b2 = (float) BETA2;
        final float wd = (float) config.weightDecay();
        final float stepSize = (float) (config.learningRate() / (1 - Math.pow(BETA1, t)));
        final float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(BETA2, t)));
        final float eps = (float) EPSILON;
        for (int i = 0; i < params.length; i++) {
            final float g = grads[i] + wd * params[i];
            final float mi = b1 * m[i] + (1 - b1) * g;
            final float vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtCorrection2 + eps);
        }
    }
}
