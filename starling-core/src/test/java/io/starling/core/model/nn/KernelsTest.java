package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KernelsTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels VECTOR = new VectorKernels();

    @Test
    void testsRunWithTheVectorKernelsActive() {
        // starling-core's surefire argLine adds the module, so "auto" picks the SIMD path.
        assertThat(Kernels.active().name()).isEqualTo("vector");
    }

    @Test
    void selectionHonoursAnExplicitChoice() {
        assertThat(Kernels.Selected.select("scalar").name()).isEqualTo("scalar");
        assertThat(Kernels.Selected.select("VECTOR").name()).isEqualTo("vector");
        assertThatThrownBy(() -> Kernels.Selected.select("gpu"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto, scalar or vector");
    }

    @Test
    void axpyUpdatesOnlyTheGivenRange() {
        for (Kernels k : new Kernels[] {SCALAR, VECTOR}) {
            float[] y = new float[40];
            float[] x = new float[40];
            java.util.Arrays.fill(x, 1f);
            k.axpy(2f, x, 3, y, 5, 33);
            assertThat(y[4]).as(k.name()).isZero();
            assertThat(y[5]).as(k.name()).isEqualTo(2f);
            assertThat(y[37]).as(k.name()).isEqualTo(2f);
            assertThat(y[38]).as(k.name()).isZero();
        }
    }

    @Property(tries = 200)
    void scalarAndVectorKernelsAgree(@ForAll @IntRange(min = 0, max = 70) int n,
                                     @ForAll @IntRange(min = 0, max = 9) int xOff,
                                     @ForAll @IntRange(min = 0, max = 9) int yOff,
                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n + xOff];
        float[] y = new float[n + yOff];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) rng.nextGaussian();
        }
        assertThat(VECTOR.dot(x, xOff, y, yOff, n)).isCloseTo(SCALAR.dot(x, xOff, y, yOff, n), offset(1e-3f));
        float[] ys = y.clone();
        float[] yv = y.clone();
        SCALAR.axpy(0.7f, x, xOff, ys, yOff, n);
        VECTOR.axpy(0.7f, x, xOff, yv, yOff, n);
        for (int i = 0; i < y.length; i++) {
            assertThat(yv[i]).isCloseTo(ys[i], offset(1e-5f));
        }
    }
}
