package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaxPool2dTest {
    @Test
    void outputsTheMaximumOfEachWindowPerChannel() {
        MaxPool2d pool = new MaxPool2d(new FeatureMapShape(2, 2, 4), 2, 2);
        pool.ensureBatchCapacity(1);
        float[] in = {
            1, 5, 0, -1,
            2, 3, -4, -2,
            9, 8, 7, 6,
            5, 4, 3, 10};
        float[] out = new float[4];
        pool.forward(new float[0], 0, in, out, 1, false);
        assertThat(out).containsExactly(5f, 0f, 9f, 10f);
    }

    @Test
    void routesEachOutputGradientToItsMaximumOnly() {
        MaxPool2d pool = new MaxPool2d(new FeatureMapShape(1, 2, 4), 2, 2);
        pool.ensureBatchCapacity(1);
        float[] in = {1, 5, 0, -1, 2, 3, -4, -2};
        float[] out = new float[2];
        pool.forward(new float[0], 0, in, out, 1, true);
        float[] gradIn = new float[8];
        java.util.Arrays.fill(gradIn, 7f);
        pool.backward(new float[0], new float[0], 0, in, out, new float[] {0.5f, -2f}, gradIn, 1);
        assertThat(gradIn).containsExactly(0, 0.5f, -2f, 0, 0, 0, 0, 0);
    }

    @Test
    void dropsWindowsThatRunPastTheEdge() {
        MaxPool2d pool = new MaxPool2d(new FeatureMapShape(3, 5, 7), 2, 2);
        assertThat(pool.outputShape()).isEqualTo(new FeatureMapShape(3, 2, 3));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Distinct, well separated inputs so no ±eps perturbation changes which element is the max.
        FeatureMapShape shape = new FeatureMapShape(2, 4, 6);
        MaxPool2d pool = new MaxPool2d(shape, 2, 2);
        int batch = 2;
        pool.ensureBatchCapacity(batch);
        SplittableRandom rng = new SplittableRandom(5);
        float[] in = new float[batch * shape.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = 0.1f * i - 3f;
        }
        for (int i = in.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = in[i];
            in[i] = in[j];
            in[j] = t;
        }
        float[] r = new float[batch * pool.outputSize()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] out = new float[r.length];
        pool.forward(new float[0], 0, in, out, batch, true);
        float[] gradIn = new float[in.length];
        pool.backward(new float[0], new float[0], 0, in, out, r, gradIn, batch);
        for (int i = 0; i < in.length; i++) {
            GradientCheck.assertMatches("maxpool input", in, i, gradIn[i], 1e-2, () -> {
                float[] o = new float[r.length];
                pool.forward(new float[0], 0, in, o, batch, true);
                double s = 0;
                for (int k = 0; k < o.length; k++) {
                    s += (double) o[k] * r[k];
                }
                return s;
            });
        }
    }

    @Test
    void refusesABatchLargerThanItsScratch() {
        MaxPool2d pool = new MaxPool2d(new FeatureMapShape(1, 2, 2), 2, 2);
        pool.ensureBatchCapacity(1);
        assertThatThrownBy(() -> pool.forward(new float[0], 0, new float[8], new float[2], 2, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ensureBatchCapacity");
    }

    @Test
    void rejectsAWindowLargerThanTheInput() {
        assertThatThrownBy(() -> new MaxPool2d(new FeatureMapShape(1, 2, 2), 3, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
