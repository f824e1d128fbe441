package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialTest {
    private static Sequential mlp(long seed) {
        return new Sequential(List.of(new Dense(6, 5, Dense.Init.HE), new Relu(5),
                new Dense(5, 4, Dense.Init.HE), new Relu(4), new Dense(4, 3, Dense.Init.GLOROT)), seed);
    }

    @Test
    void networkGradientMatchesFiniteDifferencesOfTheMeanLoss() {
        Sequential net = mlp(7);
        int batch = 5;
        SplittableRandom rng = new SplittableRandom(8);
        net.ensureCapacity(batch);
        float[] x = net.input();
        for (int i = 0; i < batch * 6; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int[] labels = {0, 1, 2, 1, 0};
        net.forward(batch, true);
        net.backward(labels, batch);
        float[] analytic = net.grads().clone();
        float[] params = net.params();
        for (int i = 0; i < params.length; i++) {
            GradientCheck.assertMatches("param", params, i, analytic[i], 1e-3, () -> {
                float[] logits = net.forward(batch, true);
                return SoftmaxCrossEntropy.lossAndGradient(logits, labels, batch, 3, null) / batch;
            });
        }
    }

    @Test
    void backwardOverwritesRatherThanAccumulatesGradients() {
        Sequential net = mlp(1);
        net.ensureCapacity(2);
        java.util.Arrays.fill(net.input(), 0, 12, 0.5f);
        int[] labels = {1, 2};
        net.forward(2, true);
        net.backward(labels, 2);
        float[] first = net.grads().clone();
        net.forward(2, true);
        net.backward(labels, 2);
        assertThat(net.grads()).containsExactly(first);
    }

    @Test
    void sameSeedGivesSameInitialParameters() {
        assertThat(mlp(42).params()).containsExactly(mlp(42).params());
        assertThat(mlp(42).params()).isNotEqualTo(mlp(43).params());
    }

    @Test
    void layersOwnConsecutiveSlicesOfOneParameterArray() {
        Sequential net = mlp(1);
        assertThat(net.paramCount()).isEqualTo(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
        assertThat(net.paramOffset(2)).isEqualTo(35);
        assertThat(net.paramOffset(4)).isEqualTo(59);
    }

    @Test
    void copyIsIndependent() {
        Sequential net = mlp(1);
        Sequential copy = net.copy();
        assertThat(copy.params()).containsExactly(net.params());
        copy.params()[0] += 1;
        assertThat(copy.params()[0]).isNotEqualTo(net.params()[0]);
    }

    @Test
    void rejectsLayersWhoseSizesDoNotChain() {
        assertThatThrownBy(() -> new Sequential(List.of(new Dense(4, 3, Dense.Init.HE), new Relu(5)), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relu(5) expects 5 inputs but dense(4->3) produces 3");
    }

    @Test
    void rejectsABatchLargerThanItsBuffers() {
        Sequential net = mlp(1);
        net.ensureCapacity(4);
        assertThatThrownBy(() -> net.forward(5, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ensureCapacity");
    }
}
