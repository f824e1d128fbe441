package io.starling.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlattenTest {
    @Test
    void keepsTheChannelMajorOrderOfTheFeatureMaps() {
        Flatten flatten = new Flatten(new FeatureMapShape(2, 1, 2));
        float[] out = new float[4];
        flatten.forward(new float[0], 0, new float[] {1, 2, 3, 4}, out, 1, false);
        assertThat(out).containsExactly(1, 2, 3, 4);
        assertThat(flatten.outputSize()).isEqualTo(4);
        assertThat(flatten.describe()).isEqualTo("flatten(2x1x2->4)");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.checkLayer(new Flatten(new FeatureMapShape(3, 2, 2)), 2, 31);
    }
}
