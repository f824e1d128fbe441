package io.starling.core.model.nn;

import io.starling.core.model.TrainConfig;

/**
 * Minibatch SGD with heavy-ball momentum and L2 weight decay, as PyTorch's {@code torch.optim.SGD}
 * computes it: {@code g = grad + wd * w; v = mu * v + g; w -= lr * v}. Decay applies to every
 * parameter, biases included (PyTorch's default).
 */
public final class SgdMomentum implements Optimizer {
    private final float[] velocity;

    public SgdMomentum(int paramCount) {
        this.velocity = new float[paramCount];
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(velocity, 0f);
    }

    @Override
    public void step(float[] params, float[] grads, TrainConfig config) {
        if (params.length != velocity.length || grads.length != velocity.length) {
            throw new IllegalArgumentException("optimizer built for " + velocity.length
                    + " parameters got " + params.length + " parameters and " + grads.length + " gradients");
        }
        final float lr = (float) config.learningRate();
        final float mu = (float) config.momentum();
        final float wd = (float) config.weightDecay();
        final float[] v = velocity;
        for (int i = 0; i < params.length; i++) {
            float g = grads[i] + wd * params[i];
            float vi = mu * v[i] + g;
            v[i] = vi;
            params[i] -= lr * vi;
        }
    }
}
