package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.starling.core.model.TrainConfig;
import org.junit.jupiter.api.Test;

class SgdMomentumTest {
    private final TrainConfig config = TrainConfig.defaults().withLearningRate(0.1).withMomentum(0.5).withWeightDecay(0.01);

    @Test
    void followsTheHeavyBallUpdateWithWeightDecay() {
        SgdMomentum sgd = new SgdMomentum(1);
        float[] w = {1f};
        sgd.step(w, new float[] {2f}, config);
        // g = 2 + 0.01*1 = 2.01; v = 2.01; w = 1 - 0.201
        assertThat(w[0]).isCloseTo(0.799f, offset(1e-6f));
        sgd.step(w, new float[] {2f}, config);
        // g = 2 + 0.00799 = 2.00799; v = 0.5*2.01 + 2.00799 = 3.01299; w = 0.799 - 0.301299
        assertThat(w[0]).isCloseTo(0.497701f, offset(1e-6f));
    }

    @Test
    void resetForgetsTheVelocity() {
        SgdMomentum sgd = new SgdMomentum(1);
        float[] a = {1f};
        sgd.step(a, new float[] {2f}, config);
        sgd.reset();
        float[] b = {1f};
        sgd.step(b, new float[] {2f}, config);
        assertThat(b[0]).isEqualTo(0.799f, offset(1e-6f));
    }
}
