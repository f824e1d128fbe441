package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {
    @Test
    void isTheIdentityOutsideTraining() {
        Dropout dropout = new Dropout(4, 0.5);
        dropout.ensureBatchCapacity(1);
        float[] out = new float[4];
        dropout.forward(new float[0], 0, new float[] {1, 2, 3, 4}, out, 1, false);
        assertThat(out).containsExactly(1, 2, 3, 4);
    }

    @Test
    void dropsAboutTheRateAndScalesSurvivorsToKeepTheMean() {
        int n = 20_000;
        Dropout dropout = new Dropout(n, 0.25);
        dropout.ensureBatchCapacity(1);
        dropout.reseed(3);
        float[] in = new float[n];
        Arrays.fill(in, 1f);
        float[] out = new float[n];
        dropout.forward(new float[0], 0, in, out, 1, true);
        long zeros = 0;
        double sum = 0;
        for (float v : out) {
            if (v == 0f) {
                zeros++;
            } else {
                assertThat(v).isEqualTo(1f / 0.75f);
            }
            sum += v;
        }
        assertThat(zeros / (double) n).isBetween(0.23, 0.27);
        assertThat(sum / n).isBetween(0.97, 1.03);
    }

    @Test
    void theSameSeedGivesTheSameMask() {
        Dropout a = new Dropout(64, 0.5);
        Dropout b = new Dropout(64, 0.5);
        float[] in = new float[64];
        Arrays.fill(in, 1f);
        float[] outA = new float[64];
        float[] outB = new float[64];
        for (Dropout d : new Dropout[] {a, b}) {
            d.ensureBatchCapacity(1);
            d.reseed(11);
        }
        a.forward(new float[0], 0, in, outA, 1, true);
        b.forward(new float[0], 0, in, outB, 1, true);
        assertThat(outA).containsExactly(outB);
    }

    @Test
    void gradientsMatchFiniteDifferencesForAFixedMask() {
        Dropout dropout = new Dropout(6, 0.4);
        int batch = 3;
        dropout.ensureBatchCapacity(batch);
        SplittableRandom rng = new SplittableRandom(8);
        float[] in = new float[batch * 6];
        float[] r = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) rng.nextGaussian();
            r[i] = (float) rng.nextGaussian();
        }
        float[] out = new float[in.length];
        dropout.reseed(5);
        dropout.forward(new float[0], 0, in, out, batch, true);
        float[] gradIn = new float[in.length];
        dropout.backward(new float[0], new float[0], 0, in, out, r, gradIn, batch);
        for (int i = 0; i < in.length; i++) {
            GradientCheck.assertMatches("dropout input", in, i, gradIn[i], 1e-2, () -> {
                float[] o = new float[r.length];
                dropout.reseed(5);
                dropout.forward(new float[0], 0, in, o, batch, true);
                double s = 0;
                for (int k = 0; k < o.length; k++) {
                    s += (double) o[k] * r[k];
                }
                return s;
            });
        }
    }

    @Test
    void rejectsARateOfOneOrMore() {
        assertThatThrownBy(() -> new Dropout(3, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
