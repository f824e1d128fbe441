package io.starling.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.OptimizerKind;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in engine and the DJL/PyTorch engine compute the same LeNet-5: from the same initial
 * parameters, on the same minibatches (both shuffle with the config seed the same way), their
 * training and held-out losses stay close over the first steps. They are not bit-identical
 * (different summation orders, fused multiply-adds), and the gap is allowed to grow slowly.
 */
class EngineParityTest {
    private static final TrainConfig SGD = TrainConfig.defaults().withBatchSize(32).withLearningRate(0.05)
            .withMomentum(0.9).withWeightDecay(1e-4).withSeed(7);
    private static Dataset train;
    private static Dataset heldOut;

    @BeforeAll
    static void engineAndData() {
        assumeTrue(PyTorchRuntime.isAvailable(), PyTorchRuntime::whyNot);
        TrainTestSplit mnist = Mnist10k.load();
        train = mnist.train().subset(range(0, 2000));
        heldOut = mnist.test().subset(range(0, 500));
    }

    @Test
    void theSameSeedGivesBothEnginesTheSameInitialParameters() {
        Model builtIn = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 11);
        try (DjlModel djl = DjlModel.create("cnn-lenet5", 784, 10, 11)) {
            assertThat(djl.params().contentEquals(builtIn.params())).isTrue();
        }
    }

    @Test
    void untrainedModelsAgreeOnEveryHeldOutPrediction() {
        Model builtIn = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 11);
        try (DjlModel djl = DjlModel.create("cnn-lenet5", 784, 10, 11)) {
            var a = builtIn.evaluate(heldOut);
            var b = djl.evaluate(heldOut);
            assertThat(b.loss()).isCloseTo(a.loss(), Percentage.withPercentage(0.01));
            assertThat(b.accuracy()).isEqualTo(a.accuracy());
        }
    }

    @ParameterizedTest(name = "after {0} SGD steps")
    @ValueSource(ints = {1, 5, 20})
    void sgdTrainingLossesStayClose(int steps) {
        assertEnginesStayClose(SGD.withMaxSteps(steps), 1.0);
    }

    @Test
    void adamTrainingLossesStayCloseOverTenSteps() {
        assertEnginesStayClose(SGD.withOptimizer(OptimizerKind.ADAM).withLearningRate(1e-3).withMaxSteps(10), 2.0);
    }

    private static void assertEnginesStayClose(TrainConfig config, double percent) {
        Model builtIn = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 3);
        try (DjlModel djl = DjlModel.create("cnn-lenet5", 784, 10, 99)) {
            djl.setParams(builtIn.params());
            double before = builtIn.evaluate(heldOut).loss();
            TrainResult a = builtIn.train(train, config);
            TrainResult b = djl.train(train, config);
            assertThat(b.steps()).isEqualTo(a.steps());
            assertThat(b.samples()).isEqualTo(a.samples());
            assertThat(b.loss()).as("mean training loss").isCloseTo(a.loss(), Percentage.withPercentage(percent));
            double heldOutBuiltIn = builtIn.evaluate(heldOut).loss();
            double heldOutDjl = djl.evaluate(heldOut).loss();
            assertThat(heldOutDjl).as("held-out loss").isCloseTo(heldOutBuiltIn, Percentage.withPercentage(percent));
            assertThat(heldOutBuiltIn).as("training moved the model").isNotEqualTo(before);
            double drift = djl.params().distance(builtIn.params()) / builtIn.params().norm();
            System.out.printf("%s %d steps: train loss built-in %.6f djl %.6f; held-out %.6f vs %.6f; drift %.2e%n",
                    config.optimizer().id(), a.steps(), a.loss(), b.loss(), heldOutBuiltIn, heldOutDjl, drift);
            assertThat(drift).as("relative parameter distance").isLessThan(percent / 100);
        }
    }

    private static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }
}
