package io.starling.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

/** The built-in models reach the accuracy users expect on the bundled 8,000/2,000 MNIST subset. */
class MnistAccuracyTest {
    private static final TrainConfig CONFIG = TrainConfig.defaults().withEpochs(3).withSeed(1);

    @Test
    void mlp784x128x10ReachesNinetyThreePercentInThreeEpochs() {
        TrainTestSplit data = Mnist10k.load();
        Model mlp = ModelFactory.builtIn().create("mlp", 784, 10, 1);
        TrainResult r = mlp.train(data.train(), CONFIG);
        Metrics m = mlp.evaluate(data.test());
        assertThat(r.samples()).isEqualTo(3 * 8000);
        assertThat(m.accuracy()).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void logisticRegressionReachesEightyFivePercentInThreeEpochs() {
        TrainTestSplit data = Mnist10k.load();
        Model logreg = ModelFactory.builtIn().create("logreg", 784, 10, 1);
        logreg.train(data.train(), CONFIG);
        Metrics m = logreg.evaluate(data.test());
        assertThat(m.accuracy()).isBetween(0.85, 0.95);
    }
}
