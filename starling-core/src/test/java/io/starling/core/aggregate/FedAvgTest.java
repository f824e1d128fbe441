package io.starling.core.aggregate;

import static io.starling.core.aggregate.AggregationPropertiesTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedAvgTest {
    private final FedAvg rule = new FedAvg();

    @Test
    void weightsEachModelByItsSampleCount() {
        ParamVector result = rule.aggregate(ParamVector.zeros(2), List.of(
                Contribution.ofClient(ParamVector.of(1, 10), 1),
                Contribution.ofClient(ParamVector.of(4, 40), 3)));

        assertClose(result, ParamVector.of(3.25f, 32.5f), 1e-6);
    }

    @Test
    void aDeltaContributionCountsAsGlobalPlusDelta() {
        ParamVector global = ParamVector.of(10, 10);
        ParamVector result = rule.aggregate(global, List.of(
                Contribution.ofDelta(ParamVector.of(2, -2), 1, 0),
                Contribution.ofClient(ParamVector.of(12, 8), 1)));

        assertClose(result, ParamVector.of(12, 8), 1e-6);
    }

    @Test
    void doesNotModifyItsInputs() {
        ParamVector global = ParamVector.of(1, 2);
        ParamVector model = ParamVector.of(3, 4);
        rule.aggregate(global, List.of(Contribution.ofClient(model, 2)));

        assertThat(global.contentEquals(ParamVector.of(1, 2))).isTrue();
        assertThat(model.contentEquals(ParamVector.of(3, 4))).isTrue();
    }

    @Test
    void matchesAPlainLoopAcrossManyCacheBlocksAndARemainder() {
        int dim = WeightedSum.DEFAULT_BLOCK * 3 + 17;
        int n = 7;
        java.util.Random random = new java.util.Random(7);
        List<Contribution> contributions = new java.util.ArrayList<>();
        double[] expected = new double[dim];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += i + 1;
        }
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) random.nextGaussian();
                expected[j] += (i + 1) / total * v[j];
            }
            contributions.add(Contribution.ofClient(ParamVector.wrap(v), i + 1));
        }
        ParamVector result = rule.aggregate(ParamVector.zeros(dim), contributions);

        for (int j = 0; j < dim; j++) {
            assertThat((double) result.get(j)).isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void aSumThatOverflowsFloatRangeIsReportedAsTheResultNotAnInput() {
        List<Contribution> huge = List.of(
                Contribution.ofDelta(ParamVector.of(Float.MAX_VALUE), 1, 0),
                Contribution.ofDelta(ParamVector.of(Float.MAX_VALUE), 1, 0));

        assertThatThrownBy(() -> rule.aggregate(ParamVector.of(Float.MAX_VALUE), huge))
                .isInstanceOf(NonFiniteValueException.class)
                .hasMessageContaining("contribution 0");
    }
}
