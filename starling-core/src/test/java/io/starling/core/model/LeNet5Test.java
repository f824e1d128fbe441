package io.starling.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.param.ParamVector;
import org.junit.jupiter.api.Test;

class LeNet5Test {
    @Test
    void factoryBuildsLenet5WithTheDocumentedParameterCount() {
        NeuralClassifier m = (NeuralClassifier) ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 1);
        assertThat(m.paramCount()).isEqualTo(156 + 2416 + 48120 + 10164 + 850);
        assertThat(m.spec()).isEqualTo("cnn-lenet5");
        assertThat(m.network().describe()).startsWith("conv2d(1x28x28->6x28x28, k5 p2) > relu(4704) > "
                + "maxpool(6x28x28->6x14x14, 2) > conv2d(6x14x14->16x10x10, k5)");
    }

    @Test
    void dropoutVariantAddsNoParameters() {
        Model plain = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 3);
        Model dropout = ModelFactory.builtIn().create("cnn-lenet5:0.25", 784, 10, 3);
        assertThat(dropout.spec()).isEqualTo("cnn-lenet5:0.25");
        assertThat(dropout.params().contentEquals(plain.params())).isTrue();
    }

    @Test
    void trainingWithDropoutIsDeterministicForTheSameSeed() {
        Dataset data = Mnist10k.load().train().subset(range(64));
        TrainConfig cfg = TrainConfig.defaults().withMaxSteps(2).withSeed(9);
        Model a = ModelFactory.builtIn().create("cnn-lenet5:0.5", 784, 10, 3);
        Model b = ModelFactory.builtIn().create("cnn-lenet5:0.5", 784, 10, 3);
        TrainResult ra = a.train(data, cfg);
        TrainResult rb = b.train(data, cfg);
        assertThat(ra.loss()).isEqualTo(rb.loss());
        assertThat(a.params().contentEquals(b.params())).isTrue();
    }

    @Test
    void rejectsInputsThatAreNot28By28() {
        assertThatThrownBy(() -> ModelFactory.builtIn().create("cnn-lenet5", 100, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("784");
    }

    @Test
    void rejectsADropoutRateOutsideZeroToOne() {
        assertThatThrownBy(() -> ModelFactory.builtIn().create("cnn-lenet5:1.5", 784, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> ModelFactory.builtIn().create("cnn-lenet5:x", 784, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("dropout rate");
    }

    @Test
    void copiesTrainIndependently() {
        Dataset data = Mnist10k.load().train().subset(range(32));
        Model m = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 1);
        ParamVector before = m.params();
        Model c = m.copy();
        c.train(data, TrainConfig.defaults().withMaxSteps(1));
        assertThat(m.params().contentEquals(before)).isTrue();
        assertThat(c.params().contentEquals(before)).isFalse();
    }

    @Test
    void adamAndSgdTakeDifferentStepsAndBothLowerTheLoss() {
        TrainTestSplit mnist = Mnist10k.load();
        Dataset data = mnist.train().subset(range(256));
        Model sgd = ModelFactory.builtIn().create("cnn-lenet5", 784, 10, 1);
        Model adam = sgd.copy();
        double before = sgd.evaluate(data).loss();
        sgd.train(data, TrainConfig.defaults().withEpochs(2));
        adam.train(data, TrainConfig.defaults().withEpochs(2).withLearningRate(1e-3).withOptimizer(OptimizerKind.ADAM));
        assertThat(sgd.params().contentEquals(adam.params())).isFalse();
        assertThat(sgd.evaluate(data).loss()).isLessThan(before * 0.7);
        assertThat(adam.evaluate(data).loss()).isLessThan(before * 0.7);
    }

    static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
