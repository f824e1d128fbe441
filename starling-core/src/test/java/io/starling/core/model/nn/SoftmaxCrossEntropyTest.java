package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    @Test
    void uniformLogitsCostLogOfTheClassCount() {
        double loss = SoftmaxCrossEntropy.lossAndGradient(new float[4], new int[] {2}, 1, 4, null);
        assertThat(loss).isCloseTo(Math.log(4), offset(1e-9));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int batch = 3;
        int classes = 4;
        float[] logits = new float[batch * classes];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rng.nextGaussian();
        }
        int[] labels = {0, 3, 1};
        float[] grad = new float[logits.length];
        SoftmaxCrossEntropy.lossAndGradient(logits, labels, batch, classes, grad);
        for (int i = 0; i < logits.length; i++) {
            GradientCheck.assertMatches("logit", logits, i, grad[i], 1e-3,
                    () -> SoftmaxCrossEntropy.lossAndGradient(logits, labels, batch, classes, null) / batch);
        }
    }

    @Test
    void staysFiniteForHugeLogits() {
        float[] logits = {1e30f, -1e30f, 0f};
        float[] grad = new float[3];
        double loss = SoftmaxCrossEntropy.lossAndGradient(logits, new int[] {1}, 1, 3, grad);
        assertThat(loss).isFinite().isGreaterThan(1e29);
        assertThat(grad).containsExactly(1f, -1f, 0f);
    }

    @Test
    void argmaxPicksTheFirstOfEqualMaxima() {
        assertThat(SoftmaxCrossEntropy.argmax(new float[] {0, 0, 5, 1, 5, 2}, 0, 3)).isEqualTo(2);
        assertThat(SoftmaxCrossEntropy.argmax(new float[] {0, 0, 5, 1, 5, 2}, 1, 3)).isEqualTo(1);
    }

    @Property(tries = 100)
    void lossIsNonNegativeAndGradientRowsSumToZero(@ForAll @IntRange(min = 2, max = 12) int classes,
                                                   @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] logits = new float[classes];
        for (int c = 0; c < classes; c++) {
            logits[c] = (float) (rng.nextGaussian() * 10);
        }
        float[] grad = new float[classes];
        double loss = SoftmaxCrossEntropy.lossAndGradient(logits, new int[] {rng.nextInt(classes)}, 1, classes, grad);
        double sum = 0;
        for (float g : grad) {
            sum += g;
        }
        assertThat(loss).isGreaterThanOrEqualTo(0);
        assertThat(sum).isCloseTo(0, offset(1e-5));
    }
}
