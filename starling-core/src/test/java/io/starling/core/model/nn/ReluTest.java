package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReluTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.checkLayer(new Relu(6), 3, 21);
    }

    @Test
    void zeroesNegativesAndKeepsPositives() {
        float[] out = new float[4];
        new Relu(2).forward(new float[0], 0, new float[] {-1, 2, 0, -0.5f}, out, 2, true);
        assertThat(out).containsExactly(0f, 2f, 0f, 0f);
    }

    @Test
    void passesGradientOnlyWhereTheUnitWasActive() {
        float[] gradIn = new float[3];
        new Relu(3).backward(new float[0], new float[0], 0, new float[] {-1, 2, 0}, new float[] {0, 2, 0},
                new float[] {5, 6, 7}, gradIn, 1);
        assertThat(gradIn).containsExactly(0f, 6f, 0f);
    }

    @Test
    void hasNoParameters() {
        assertThat(new Relu(10).paramCount()).isZero();
    }
}
