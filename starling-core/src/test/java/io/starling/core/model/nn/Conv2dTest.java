package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class Conv2dTest {
    @Test
    void gradientsMatchFiniteDifferencesWithPadding() {
        // 5 filters: one block of four plus the one-channel tail.
        GradientCheck.checkLayer(new Conv2d(new FeatureMapShape(2, 5, 5), 5, 3, 1, 1), 2, 21);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithStrideAndNoPadding() {
        GradientCheck.checkLayer(new Conv2d(new FeatureMapShape(3, 7, 6), 2, 3, 2, 0), 2, 22);
    }

    @Test
    void gradientsMatchFiniteDifferencesForTheLenet5FirstLayerShape() {
        GradientCheck.checkLayer(new Conv2d(new FeatureMapShape(1, 8, 8), 6, 5, 1, 2), 1, 23);
    }

    @Test
    void outputShapeFollowsKernelStrideAndPadding() {
        assertThat(new Conv2d(new FeatureMapShape(1, 28, 28), 6, 5, 1, 2).outputShape())
                .isEqualTo(new FeatureMapShape(6, 28, 28));
        assertThat(new Conv2d(new FeatureMapShape(6, 14, 14), 16, 5, 1, 0).outputShape())
                .isEqualTo(new FeatureMapShape(16, 10, 10));
        assertThat(new Conv2d(new FeatureMapShape(1, 7, 7), 1, 3, 2, 0).outputShape())
                .isEqualTo(new FeatureMapShape(1, 3, 3));
    }

    @Test
    void parametersAreFiltersOutByInByKernelRowByKernelColumnThenBiases() {
        // 2 input channels of 2x2, one 2x2 filter: out = Σ W[0][c][y][x] · in[c][y][x] + b.
        Conv2d conv = new Conv2d(new FeatureMapShape(2, 2, 2), 1, 2, 1, 0);
        assertThat(conv.paramCount()).isEqualTo(2 * 4 + 1);
        float[] params = {1, 2, 3, 4, 10, 20, 30, 40, 0.5f};
        float[] in = {1, 0, 0, 0, 0, 0, 0, 1};
        float[] out = new float[1];
        conv.forward(params, 0, in, out, 1, false);
        assertThat(out[0]).isEqualTo(1 + 40 + 0.5f);
    }

    @Test
    void zeroPaddingContributesNothing() {
        // 1x1 input, 3x3 kernel, padding 1: only the centre tap sees the pixel.
        Conv2d conv = new Conv2d(new FeatureMapShape(1, 1, 1), 1, 3, 1, 1);
        float[] params = {9, 9, 9, 9, 2, 9, 9, 9, 9, 0};
        float[] out = new float[1];
        conv.forward(params, 0, new float[] {3}, out, 1, false);
        assertThat(out[0]).isEqualTo(6f);
    }

    @Test
    void readsItsOwnSliceOfAFlatParameterArray() {
        Conv2d conv = new Conv2d(new FeatureMapShape(1, 1, 1), 1, 1, 1, 0);
        float[] params = {99, 99, 2, 5};
        float[] out = new float[1];
        conv.forward(params, 2, new float[] {3}, out, 1, false);
        assertThat(out[0]).isEqualTo(11f);
    }

    @Test
    void copiesComputeTheSameButShareNoScratch() {
        Conv2d conv = new Conv2d(new FeatureMapShape(1, 4, 4), 2, 3, 1, 1);
        Layer copy = conv.copy();
        assertThat(copy).isNotSameAs(conv);
        assertThat(copy.describe()).isEqualTo(conv.describe());
    }

    @Test
    void rejectsAKernelLargerThanThePaddedInput() {
        assertThatThrownBy(() -> new Conv2d(new FeatureMapShape(1, 3, 3), 1, 5, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    @Property(tries = 40)
    void forwardEqualsNaiveConvolution(@ForAll @IntRange(min = 1, max = 3) int channels,
                                       @ForAll @IntRange(min = 3, max = 8) int size,
                                       @ForAll @IntRange(min = 1, max = 6) int filters,
                                       @ForAll @IntRange(min = 1, max = 3) int kernel,
                                       @ForAll @IntRange(min = 1, max = 2) int stride,
                                       @ForAll @IntRange(min = 0, max = 2) int padding,
                                       @ForAll @IntRange(min = 1, max = 3) int batch,
                                       @ForAll long seed) {
        FeatureMapShape shape = new FeatureMapShape(channels, size, size + 1);
        Conv2d conv = new Conv2d(shape, filters, kernel, stride, padding);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] params = randoms(conv.paramCount(), rng);
        float[] in = randoms(batch * shape.size(), rng);
        float[] out = new float[batch * conv.outputSize()];
        conv.forward(params, 0, in, out, batch, false);

        FeatureMapShape o = conv.outputShape();
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < o.height(); oy++) {
                    for (int ox = 0; ox < o.width(); ox++) {
                        double expected = params[filters * channels * kernel * kernel + f];
                        for (int c = 0; c < channels; c++) {
                            for (int ky = 0; ky < kernel; ky++) {
                                for (int kx = 0; kx < kernel; kx++) {
                                    int iy = oy * stride - padding + ky;
                                    int ix = ox * stride - padding + kx;
                                    if (iy >= 0 && iy < shape.height() && ix >= 0 && ix < shape.width()) {
                                        expected += (double) params[((f * channels + c) * kernel + ky) * kernel + kx]
                                                * in[b * shape.size() + (c * shape.height() + iy) * shape.width() + ix];
                                    }
                                }
                            }
                        }
                        float actual = out[b * o.size() + (f * o.height() + oy) * o.width() + ox];
                        assertThat((double) actual).isCloseTo(expected, Offset.offset(1e-4));
                    }
                }
            }
        }
    }

    private static float[] randoms(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }
}
