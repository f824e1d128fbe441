package io.starling.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.core.model.IncompatibleDatasetException;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.ModelProvider;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.DimensionMismatchException;
import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlModelTest {
    @BeforeAll
    static void engineLoads() {
        assumeTrue(PyTorchRuntime.isAvailable(), PyTorchRuntime::whyNot);
    }

    @Test
    void lenet5HasTheDocumentedParameterCount() {
        try (DjlModel m = DjlModel.create("cnn-lenet5", 784, 10, 1)) {
            assertThat(m.paramCount()).isEqualTo(156 + 2416 + 48120 + 10164 + 850);
            assertThat(m.spec()).isEqualTo("djl:cnn-lenet5");
        }
    }

    @Test
    void sameSeedGivesSameInitialParameters() {
        try (DjlModel a = DjlModel.create("cnn-lenet5", 784, 10, 7);
             DjlModel b = DjlModel.create("cnn-lenet5", 784, 10, 7);
             DjlModel c = DjlModel.create("cnn-lenet5", 784, 10, 8)) {
            assertThat(a.params().contentEquals(b.params())).isTrue();
            assertThat(a.params().contentEquals(c.params())).isFalse();
        }
    }

    @Test
    void setParamsThenParamsReturnsTheSameVector() {
        try (DjlModel m = DjlModel.create("cnn-lenet5", 784, 10, 1)) {
            float[] v = new float[m.paramCount()];
            SplittableRandom rng = new SplittableRandom(3);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            m.setParams(ParamVector.of(v));
            assertThat(m.params().toArray()).containsExactly(v);
        }
    }

    @Test
    void linearWeightsUseTheBuiltInInputMajorLayout() {
        // logreg on 2 features, 3 classes: flat layout W[in][out] then b[out].
        try (DjlModel m = DjlModel.create("logreg", 2, 3, 1)) {
            float[] flat = new float[2 * 3 + 3];
            flat[0 * 3 + 2] = 5f; // feature 0 votes for class 2
            flat[1 * 3 + 0] = 5f; // feature 1 votes for class 0
            m.setParams(ParamVector.of(flat));
            Dataset data = new ArrayDataset(new float[] {1, 0, 0, 1}, new int[] {2, 0}, 2, 3);
            assertThat(m.evaluate(data).accuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void setParamsRejectsAWrongSizeOrNonFiniteVector() {
        try (DjlModel m = DjlModel.create("logreg", 4, 3, 1)) {
            assertThatThrownBy(() -> m.setParams(ParamVector.zeros(3))).isInstanceOf(DimensionMismatchException.class);
            float[] nan = new float[m.paramCount()];
            nan[2] = Float.NaN;
            assertThatThrownBy(() -> m.setParams(ParamVector.of(nan))).isInstanceOf(NonFiniteValueException.class);
        }
    }

    @Test
    void trainingOnSeparableDataLowersTheLossAndLearnsIt() {
        Dataset data = blobs(400, 5);
        try (DjlModel m = DjlModel.create("mlp:16", 8, 4, 1)) {
            double before = m.evaluate(data).loss();
            TrainResult r = m.train(data, TrainConfig.defaults().withEpochs(5));
            Metrics after = m.evaluate(data);
            assertThat(r.samples()).isEqualTo(5 * 400);
            assertThat(r.steps()).isEqualTo(5 * ((400 + 31) / 32));
            assertThat(after.loss()).isLessThan(before / 4);
            assertThat(after.accuracy()).isGreaterThan(0.95);
        }
    }

    @Test
    void trainingIsDeterministicForTheSameSeed() {
        Dataset data = blobs(200, 9);
        try (DjlModel a = DjlModel.create("mlp:16", 8, 4, 1); DjlModel b = DjlModel.create("mlp:16", 8, 4, 1)) {
            TrainConfig cfg = TrainConfig.defaults().withEpochs(2).withSeed(42);
            TrainResult ra = a.train(data, cfg);
            TrainResult rb = b.train(data, cfg);
            assertThat(ra.loss()).isEqualTo(rb.loss());
            assertThat(a.params().contentEquals(b.params())).isTrue();
        }
    }

    @Test
    void evaluateLeavesTheParametersUnchanged() {
        Dataset data = blobs(100, 2);
        try (DjlModel m = DjlModel.create("mlp:16", 8, 4, 1)) {
            ParamVector before = m.params();
            m.evaluate(data);
            assertThat(m.params().contentEquals(before)).isTrue();
        }
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        Dataset data = blobs(100, 4);
        try (DjlModel m = DjlModel.create("mlp:16", 8, 4, 1); DjlModel c = m.copy()) {
            ParamVector before = m.params();
            c.train(data, TrainConfig.defaults());
            assertThat(m.params().contentEquals(before)).isTrue();
            assertThat(c.params().contentEquals(before)).isFalse();
        }
    }

    @Test
    void lenet5RejectsInputsThatAreNot28By28() {
        assertThatThrownBy(() -> DjlModel.create("cnn-lenet5", 100, 10, 1))
                .isInstanceOf(UnknownDjlSpecException.class)
                .hasMessageContaining("784");
    }

    @Test
    void unknownSpecNamesTheSpecsThatExist() {
        assertThatThrownBy(() -> DjlModel.create("resnet50", 784, 10, 1))
                .isInstanceOf(UnknownDjlSpecException.class)
                .hasMessageContaining("cnn-lenet5");
    }

    @Test
    void trainingRejectsADatasetOfTheWrongWidth() {
        try (DjlModel m = DjlModel.create("logreg", 8, 4, 1)) {
            Dataset threeFeatures = new ArrayDataset(new float[6], new int[] {0, 1}, 3, 4);
            assertThatThrownBy(() -> m.train(threeFeatures, TrainConfig.defaults()))
                    .hasMessageContaining("reads 8 features");
        }
    }

    @Test
    void serviceLoaderFindsTheDjlProvider() {
        ModelProvider provider = ServiceLoader.load(ModelProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("djl"))
                .findFirst()
                .orElseThrow();
        Model m = provider.create("mlp:32", 784, 10, 1);
        assertThat(m.spec()).isEqualTo("djl:mlp:32");
        assertThat(m.paramCount()).isEqualTo(784 * 32 + 32 + 32 * 10 + 10);
    }

    @Test
    void trainingRejectsNonFiniteFeatures() {
        try (DjlModel m = DjlModel.create("logreg", 2, 2, 1)) {
            Dataset bad = new ArrayDataset(new float[] {1, Float.NaN}, new int[] {0}, 2, 2);
            assertThatThrownBy(() -> m.train(bad, TrainConfig.defaults()))
                    .isInstanceOf(IncompatibleDatasetException.class)
                    .hasMessageContaining("feature 1 of example 0 is NaN");
        }
    }

    @Test
    void theCoreModelFactoryBuildsDjlSpecs() {
        Model m = ModelFactory.builtIn().create("djl:cnn-lenet5:0.25", 784, 10, 1);
        assertThat(m).isInstanceOf(DjlModel.class);
        assertThat(m.spec()).isEqualTo("djl:cnn-lenet5:0.25");
        assertThat(ModelFactory.builtIn().known()).contains("djl:<spec>");
        ((DjlModel) m).close();
    }

    @Test
    void adamTrainingLearnsSeparableData() {
        Dataset data = blobs(400, 6);
        try (DjlModel m = DjlModel.create("mlp:16", 8, 4, 1)) {
            m.train(data, TrainConfig.defaults().withEpochs(5).withLearningRate(0.01)
                    .withOptimizer(io.starling.core.model.OptimizerKind.ADAM));
            assertThat(m.evaluate(data).accuracy()).isGreaterThan(0.95);
        }
    }

    /** Four Gaussian blobs in 8 dimensions, one per class: learnable in a few epochs. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int j = 0; j < 8; j++) {
                x[i * 8 + j] = (float) (rng.nextGaussian() * 0.5 + (j % 4 == y[i] ? 2.0 : 0.0));
            }
        }
        return new ArrayDataset(x, y, 8, 4);
    }
}
