package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DenseTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.checkLayer(new Dense(5, 3, Dense.Init.HE), 4, 11);
    }

    @Test
    void gradientsMatchFiniteDifferencesForAWideOutput() {
        // 9 outputs exercise both the 4-way unrolled part and the tail of the input-gradient loop.
        GradientCheck.checkLayer(new Dense(3, 9, Dense.Init.GLOROT), 2, 12);
    }

    @Test
    void forwardComputesInputTimesWeightsPlusBias() {
        Dense dense = new Dense(2, 2, Dense.Init.HE);
        // W = [[1, 2], [3, 4]] (row i = input i), b = [10, 20]
        float[] params = {1, 2, 3, 4, 10, 20};
        float[] in = {1, 1, 2, 0};
        float[] out = new float[4];
        dense.forward(params, 0, in, out, 2, false);
        assertThat(out).containsExactly(14f, 26f, 12f, 24f);
    }

    @Test
    void readsItsOwnSliceOfAFlatParameterArray() {
        Dense dense = new Dense(1, 1, Dense.Init.HE);
        float[] params = {99, 99, 2, 5};
        float[] out = new float[1];
        dense.forward(params, 2, new float[] {3}, out, 1, false);
        assertThat(out[0]).isEqualTo(11f);
    }

    @Test
    void backwardAddsToExistingGradients() {
        Dense dense = new Dense(1, 1, Dense.Init.HE);
        float[] params = {2, 0};
        float[] grads = {1, 1};
        dense.backward(params, grads, 0, new float[] {3}, new float[1], new float[] {1}, null, 1);
        assertThat(grads).containsExactly(4f, 2f);
    }

    @Test
    void heInitialisationIsBoundedAndBiasesStartAtZero() {
        Dense dense = new Dense(600, 50, Dense.Init.HE);
        float[] params = new float[dense.paramCount()];
        dense.initParams(params, 0, new SplittableRandom(3));
        double limit = Math.sqrt(6.0 / 600);
        for (int i = 0; i < 600 * 50; i++) {
            assertThat(Math.abs(params[i])).isLessThanOrEqualTo((float) limit);
        }
        for (int j = 0; j < 50; j++) {
            assertThat(params[600 * 50 + j]).isZero();
        }
    }

    @Test
    void rejectsEmptyShapes() {
        assertThatThrownBy(() -> new Dense(0, 3, Dense.Init.HE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 -> 3");
    }

    @Property(tries = 50)
    void forwardEqualsNaiveMatrixProduct(@ForAll @IntRange(min = 1, max = 9) int n,
                                         @ForAll @IntRange(min = 1, max = 9) int m,
                                         @ForAll @IntRange(min = 1, max = 5) int batch,
                                         @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Dense dense = new Dense(n, m, Dense.Init.GLOROT);
        float[] params = new float[dense.paramCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) rng.nextGaussian();
        }
        float[] in = new float[batch * n];
        for (int i = 0; i < in.length; i++) {
            in[i] = rng.nextInt(3) == 0 ? 0f : (float) rng.nextGaussian();
        }
        float[] out = new float[batch * m];
        dense.forward(params, 0, in, out, batch, false);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < m; j++) {
                double expected = params[n * m + j];
                for (int i = 0; i < n; i++) {
                    expected += (double) in[b * n + i] * params[i * m + j];
                }
                assertThat((double) out[b * m + j]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }
}
