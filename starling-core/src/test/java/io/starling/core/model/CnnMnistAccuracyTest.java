package io.starling.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's central acceptance test: the built-in LeNet-5 reaches 97% on the bundled 8,000/2,000
 * MNIST subset. SGD with learning rate 0.01, momentum 0.9, weight decay 1e-4, batch 32, six
 * epochs in one training call (48,000 example passes; about 40 s on the shared two-core machine,
 * less when it is idle). Measured: 0.9755 with seed 1, 0.9720 with seed 2.
 */
class CnnMnistAccuracyTest {
    static final TrainConfig CONFIG = TrainConfig.defaults().withEpochs(6).withBatchSize(32)
            .withLearningRate(0.01).withMomentum(0.9).withWeightDecay(1e-4).withSeed(1);

    @Test
    void lenet5ReachesNinetySevenPercentInSixEpochs() {
        TrainTestSplit data = Mnist10k.load();
        Model cnn = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 1);
        long start = System.nanoTime();
        TrainResult r = cnn.train(data.train(), CONFIG);
        double seconds = (System.nanoTime() - start) / 1e9;
        Metrics m = cnn.evaluate(data.test());
        System.out.printf("cnn-lenet5: %d samples in %.1f s (%.0f samples/s), train loss %.4f, test accuracy %.4f%n",
                r.samples(), seconds, r.samples() / seconds, r.loss(), m.accuracy());
        assertThat(r.samples()).isEqualTo(6 * 8000);
        assertThat(m.accuracy()).isGreaterThanOrEqualTo(0.97);
    }
}
