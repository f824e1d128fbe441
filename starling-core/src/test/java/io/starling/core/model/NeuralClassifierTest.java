package io.starling.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.core.param.DimensionMismatchException;
import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeuralClassifierTest {
    private static final ModelFactory FACTORY = ModelFactory.builtIn();
    private static final TrainConfig CONFIG = TrainConfig.defaults().withEpochs(2).withSeed(9);

    private static Model mlp(long seed) {
        return FACTORY.create("mlp:16", 4, 3, seed);
    }

    @Test
    void sameSeedsGiveBitIdenticalTraining() {
        Dataset data = SyntheticData.blobs(300, 4, 3, 1);
        Model a = mlp(5);
        Model b = mlp(5);
        TrainResult ra = a.train(data, CONFIG);
        TrainResult rb = b.train(data, CONFIG);
        assertThat(ra).isEqualTo(rb);
        assertThat(a.params().digest()).isEqualTo(b.params().digest());
    }

    @Test
    void theShuffleSeedChangesTheResult() {
        Dataset data = SyntheticData.blobs(300, 4, 3, 1);
        Model a = mlp(5);
        Model b = mlp(5);
        a.train(data, CONFIG);
        b.train(data, CONFIG.withSeed(10));
        assertThat(a.params().contentEquals(b.params())).isFalse();
    }

    @Test
    void trainingDependsOnlyOnParametersDataAndConfigNotOnEarlierCalls() {
        Dataset data = SyntheticData.blobs(300, 4, 3, 1);
        Model warm = mlp(5);
        warm.train(data, CONFIG);
        ParamVector start = warm.params();
        warm.train(data, CONFIG);
        Model fresh = mlp(6);
        fresh.setParams(start);
        fresh.train(data, CONFIG);
        assertThat(fresh.params().contentEquals(warm.params())).isTrue();
    }

    @Test
    void theInitSeedChangesTheInitialParameters() {
        assertThat(mlp(1).params().contentEquals(mlp(2).params())).isFalse();
    }

    @Test
    void learnsSeparableBlobs() {
        Dataset train = SyntheticData.blobs(600, 4, 3, 1);
        Dataset test = SyntheticData.blobs(300, 4, 3, 2);
        Model model = FACTORY.create("logreg", 4, 3, 1);
        double before = model.evaluate(test).loss();
        model.train(train, CONFIG);
        Metrics after = model.evaluate(test);
        assertThat(after.accuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(after.loss()).isLessThan(before);
    }

    @Test
    void mlpLearnsXorWhichLogisticRegressionCannot() {
        Dataset train = SyntheticData.xor(2000, 1);
        Dataset test = SyntheticData.xor(500, 2);
        TrainConfig config = TrainConfig.defaults().withEpochs(20).withLearningRate(0.1).withSeed(3);
        Model mlp = FACTORY.create("mlp:32", 2, 2, 1);
        Model logreg = FACTORY.create("logreg", 2, 2, 1);
        mlp.train(train, config);
        logreg.train(train, config);
        assertThat(mlp.evaluate(test).accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(logreg.evaluate(test).accuracy()).isLessThan(0.75);
    }

    @Test
    void reportsSamplesStepsAndMeanLoss() {
        Dataset data = SyntheticData.blobs(100, 4, 3, 1);
        TrainResult r = mlp(1).train(data, CONFIG.withBatchSize(32).withEpochs(3));
        assertThat(r.samples()).isEqualTo(300);
        assertThat(r.steps()).isEqualTo(12); // 4 batches per epoch: 32, 32, 32, 4
        assertThat(r.loss()).isPositive().isFinite();
    }

    @Test
    void maxStepsOverridesEpochs() {
        Dataset data = SyntheticData.blobs(100, 4, 3, 1);
        TrainResult r = mlp(1).train(data, CONFIG.withBatchSize(10).withMaxSteps(25));
        assertThat(r.steps()).isEqualTo(25);
        assertThat(r.samples()).isEqualTo(250);
    }

    @Test
    void listenerSeesEveryStepWithTheTotal() {
        Dataset data = SyntheticData.blobs(100, 4, 3, 1);
        List<long[]> seen = new ArrayList<>();
        mlp(1).train(data, CONFIG.withBatchSize(50).withEpochs(2),
                (done, total, samples) -> seen.add(new long[] {done, total, samples}));
        assertThat(seen).hasSize(4);
        assertThat(seen.get(3)).containsExactly(4, 4, 200);
    }

    @Test
    void evaluateDoesNotChangeTheModel() {
        Model model = mlp(1);
        ParamVector before = model.params();
        model.evaluate(SyntheticData.blobs(100, 4, 3, 1));
        assertThat(model.params().contentEquals(before)).isTrue();
    }

    @Test
    void evaluateCountsCorrectPredictionsOverBatches() {
        // 600 examples span three evaluation batches (256, 256, 88).
        Dataset data = SyntheticData.blobs(600, 4, 3, 1);
        Model model = mlp(1);
        model.train(data, CONFIG);
        Metrics m = model.evaluate(data);
        Metrics firstHalf = model.evaluate(data.subset(java.util.stream.IntStream.range(0, 300).toArray()));
        Metrics secondHalf = model.evaluate(data.subset(java.util.stream.IntStream.range(300, 600).toArray()));
        assertThat(m.samples()).isEqualTo(600);
        assertThat(m.accuracy() * 600).isCloseTo(firstHalf.accuracy() * 300 + secondHalf.accuracy() * 300,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void paramsIsACopy() {
        Model model = mlp(1);
        ParamVector p = model.params();
        p.set(0, 123f);
        assertThat(model.params().get(0)).isNotEqualTo(123f);
    }

    @Test
    void setParamsRoundTrips() {
        Model a = mlp(1);
        Model b = mlp(2);
        b.setParams(a.params());
        assertThat(b.params().contentEquals(a.params())).isTrue();
    }

    @Test
    void setParamsRejectsTheWrongSize() {
        Model model = mlp(1);
        assertThatThrownBy(() -> model.setParams(ParamVector.zeros(model.paramCount() - 1)))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("mlp(4,16,3)")
                .hasMessageContaining("expected " + model.paramCount());
    }

    @Test
    void setParamsRejectsNaNAndLeavesTheModelUnchanged() {
        Model model = mlp(1);
        ParamVector before = model.params();
        ParamVector bad = before.copy();
        bad.set(7, Float.NaN);
        assertThatThrownBy(() -> model.setParams(bad))
                .isInstanceOf(NonFiniteValueException.class)
                .hasMessageContaining("parameter 7 is NaN");
        assertThat(model.params().contentEquals(before)).isTrue();
    }

    @Test
    void copyIsIndependentAndEqual() {
        Dataset data = SyntheticData.blobs(100, 4, 3, 1);
        Model model = mlp(1);
        Model copy = model.copy();
        assertThat(copy.spec()).isEqualTo(model.spec());
        assertThat(copy.params().contentEquals(model.params())).isTrue();
        copy.train(data, CONFIG);
        assertThat(copy.params().contentEquals(model.params())).isFalse();
    }

    @Test
    void rejectsDataWithTheWrongFeatureCount() {
        assertThatThrownBy(() -> mlp(1).train(SyntheticData.blobs(10, 5, 3, 1), CONFIG))
                .isInstanceOf(IncompatibleDatasetException.class)
                .hasMessageContaining("reads 4 features per example but the dataset has 5");
    }

    @Test
    void rejectsDataWithMoreClassesThanOutputs() {
        assertThatThrownBy(() -> mlp(1).evaluate(new ArrayDataset(new float[8], new int[] {0, 4}, 4, 5)))
                .isInstanceOf(IncompatibleDatasetException.class)
                .hasMessageContaining("predicts 3 classes but the dataset has 5");
    }

    @Test
    void rejectsAnEmptyDataset() {
        Dataset empty = new ArrayDataset(new float[0], new int[0], 4, 3);
        assertThatThrownBy(() -> mlp(1).train(empty, CONFIG))
                .isInstanceOf(IncompatibleDatasetException.class).hasMessageContaining("empty dataset");
    }

    @Test
    void rejectsNonFiniteFeaturesNamingTheExample() {
        float[] x = new float[8];
        x[6] = Float.POSITIVE_INFINITY;
        Dataset data = new ArrayDataset(x, new int[] {0, 1}, 4, 3);
        assertThatThrownBy(() -> mlp(1).train(data, CONFIG))
                .isInstanceOf(IncompatibleDatasetException.class)
                .hasMessageContaining("feature 2 of example 1 is Infinity");
    }

    @Test
    void rowsAppendedToAGrowingDatasetAreCheckedToo() {
        float[] x = new float[12];
        int[] y = {0, 1, 2};
        int[] size = {2};
        Dataset growing = new Dataset() {
            @Override
            public int size() {
                return size[0];
            }

            @Override
            public int featureDim() {
                return 4;
            }

            @Override
            public int numClasses() {
                return 3;
            }

            @Override
            public float[] features() {
                return x;
            }

            @Override
            public int[] labels() {
                return y;
            }
        };
        Model model = mlp(1);
        model.evaluate(growing);
        x[9] = Float.NaN;
        size[0] = 3;
        assertThatThrownBy(() -> model.evaluate(growing))
                .isInstanceOf(IncompatibleDatasetException.class)
                .hasMessageContaining("feature 1 of example 2 is NaN");
    }

    @Test
    void divergenceIsReportedAndRestoresTheParameters() {
        float[] x = new float[400];
        java.util.Arrays.fill(x, 1e18f);
        int[] y = new int[100];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        Dataset huge = new ArrayDataset(x, y, 4, 3);
        Model model = mlp(1);
        ParamVector before = model.params();
        assertThatThrownBy(() -> model.train(huge, CONFIG.withLearningRate(1e6).withMomentum(0)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("lower the learning rate");
        assertThat(model.params().contentEquals(before)).isTrue();
    }
}
