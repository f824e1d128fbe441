package io.starling.core.aggregate;

import static io.starling.core.aggregate.AggregationPropertiesTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of the Byzantine-robust rules. */
class RobustRulesTest {
    private static List<Contribution> clients(float... values) {
        List<Contribution> list = new ArrayList<>();
        for (float v : values) {
            list.add(Contribution.ofClient(ParamVector.of(v, -v), 1));
        }
        return list;
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertClose(new CoordinateMedian().aggregate(ParamVector.zeros(2), clients(5, 1, 1000, 3, 2)),
                ParamVector.of(3, -3), 0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertClose(new CoordinateMedian().aggregate(ParamVector.zeros(2), clients(4, 1, 1000, 2)),
                ParamVector.of(3, -3), 0);
    }

    @Test
    void medianHandlesMoreContributionsThanTheInsertionSortCutoff() {
        float[] values = new float[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 37) % 101;
        }
        assertClose(new CoordinateMedian().aggregate(ParamVector.zeros(2), clients(values)),
                ParamVector.of(50, -50), 0);
    }

    @Test
    void trimmedMeanDropsTheExtremesFromEachEnd() {
        TrimmedMean rule = new TrimmedMean(0.2);

        assertThat(rule.trimCount(5)).isEqualTo(1);
        assertClose(rule.aggregate(ParamVector.zeros(2), clients(-1000, 1, 2, 6, 1000)),
                ParamVector.of(3, -3), 1e-6);
    }

    @Test
    void trimmedMeanWithBetaZeroIsThePlainMean() {
        assertClose(new TrimmedMean(0).aggregate(ParamVector.zeros(2), clients(1, 2, 6)),
                ParamVector.of(3, -3), 1e-6);
    }

    @Test
    void krumPicksTheModelInTheDensestCluster() {
        ParamVector result = new Krum(1).aggregate(ParamVector.zeros(2), clients(0, 2, 3, 4, 100));

        assertClose(result, ParamVector.of(3, -3), 0);
    }

    @Test
    void krumRefusesWhenThereAreTooFewContributionsForF() {
        assertThatThrownBy(() -> new Krum(2).aggregate(ParamVector.zeros(2), clients(0, 1, 2, 3, 4, 5)))
                .isInstanceOf(NotEnoughContributionsException.class)
                .hasMessageContaining("at least 7");
    }

    @Test
    void multiKrumAveragesTheMBestScoredModels() {
        ParamVector result = new MultiKrum(1, 3).aggregate(ParamVector.zeros(2), clients(0, 2, 3, 4, 100));

        assertClose(result, ParamVector.of(3, -3), 1e-6);
    }

    @Test
    void multiKrumRefusesToAverageMoreThanNMinusFModels() {
        assertThatThrownBy(() -> new MultiKrum(1, 5).aggregate(ParamVector.zeros(2), clients(0, 1, 2, 3, 4)))
                .isInstanceOf(NotEnoughContributionsException.class);
    }

    @Test
    void centeredClippingLimitsHowFarOneOutlierMovesTheModel() {
        List<Contribution> cs = List.of(
                Contribution.ofClient(ParamVector.of(1, 0), 1),
                Contribution.ofClient(ParamVector.of(1, 0), 1),
                Contribution.ofClient(ParamVector.of(1, 0), 1),
                Contribution.ofClient(ParamVector.of(0, 1000), 1));

        ParamVector result = new CenteredClipping(2, 1).aggregate(ParamVector.zeros(2), cs);

        assertClose(result, ParamVector.of(0.75f, 0.5f), 1e-6);
    }

    @Test
    void centeredClippingConvergesTowardsTheHonestMeanWithMoreIterations() {
        List<Contribution> cs = List.of(
                Contribution.ofClient(ParamVector.of(4, 0), 1),
                Contribution.ofClient(ParamVector.of(4, 0), 1),
                Contribution.ofClient(ParamVector.of(4, 0), 1),
                Contribution.ofClient(ParamVector.of(0, 1000), 1));

        double one = new CenteredClipping(1, 1).aggregate(ParamVector.zeros(2), cs).get(0);
        double many = new CenteredClipping(1, 20).aggregate(ParamVector.zeros(2), cs).get(0);

        assertThat(many).isGreaterThan(one).isGreaterThan(2.5);
    }

    @Test
    void normBoundingScalesLongUpdatesDownToTheBound() {
        List<Contribution> cs = List.of(
                Contribution.ofClient(ParamVector.of(3, 4), 1),
                Contribution.ofClient(ParamVector.of(0, 300), 1));

        ParamVector result = new NormBounding(5).aggregate(ParamVector.zeros(2), cs);

        assertClose(result, ParamVector.of(1.5f, 4.5f), 1e-6);
    }
}
