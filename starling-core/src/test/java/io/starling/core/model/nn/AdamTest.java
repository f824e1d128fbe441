package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.model.TrainConfig;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AdamTest {
    private static final TrainConfig LR_01 = TrainConfig.defaults().withLearningRate(0.1).withWeightDecay(0);

    @Test
    void firstStepMovesEveryWeightByTheLearningRateAgainstItsGradientSign() {
        Adam adam = new Adam(3);
        float[] w = {1, 1, 1};
        adam.step(w, new float[] {0.001f, -50f, 3f}, LR_01);
        assertThat(w[0]).isCloseTo(0.9f, Offset.offset(1e-4f));
        assertThat(w[1]).isCloseTo(1.1f, Offset.offset(1e-4f));
        assertThat(w[2]).isCloseTo(0.9f, Offset.offset(1e-4f));
    }

    @Test
    void matchesTheReferenceFormulaOverSeveralSteps() {
        Adam adam = new Adam(1);
        float[] w = {2};
        double ref = 2;
        double m = 0;
        double v = 0;
        for (int t = 1; t <= 5; t++) {
            float g = (float) (2 * w[0]); // gradient of w²
            adam.step(w, new float[] {g}, LR_01);
            double gr = 2 * ref;
            m = 0.9 * m + 0.1 * gr;
            v = 0.999 * v + 0.001 * gr * gr;
            ref -= 0.1 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
            assertThat((double) w[0]).isCloseTo(ref, Offset.offset(1e-4));
        }
    }

    @Test
    void weightDecayActsLikeAnL2Gradient() {
        Adam adam = new Adam(1);
        float[] w = {1};
        adam.step(w, new float[] {0f}, LR_01.withWeightDecay(0.5));
        assertThat(w[0]).isCloseTo(0.9f, Offset.offset(1e-4f));
    }

    @Test
    void resetRestartsTheBiasCorrection() {
        Adam adam = new Adam(1);
        float[] w = {0};
        for (int i = 0; i < 10; i++) {
            adam.step(w, new float[] {1f}, LR_01);
        }
        adam.reset();
        float before = w[0];
        adam.step(w, new float[] {-1f}, LR_01);
        assertThat(w[0] - before).isCloseTo(0.1f, Offset.offset(1e-4f));
    }

    @Test
    void minimisesAQuadratic() {
        Adam adam = new Adam(2);
        float[] w = {3, -4};
        for (int i = 0; i < 500; i++) {
            adam.step(w, new float[] {2 * w[0], 2 * w[1]}, LR_01);
        }
        assertThat(Math.abs(w[0]) + Math.abs(w[1])).isLessThan(0.05f);
    }
}
