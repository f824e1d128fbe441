package io.starling.core.aggregate;

import static io.starling.core.aggregate.AggregationPropertiesTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedAsyncTest {
    @Test
    void mixesAFreshUpdateWithWeightAlpha() {
        ParamVector result = new FedAsync(0.6, new StalenessFunction.Constant())
                .aggregate(ParamVector.of(0, 10), List.of(Contribution.ofClient(ParamVector.of(10, 0), 1)));

        assertClose(result, ParamVector.of(6, 4), 1e-6);
    }

    @Test
    void discountsAStaleUpdateByTheStalenessFunction() {
        FedAsync rule = new FedAsync(0.5, new StalenessFunction.Polynomial(1));
        ParamVector result = rule.aggregate(ParamVector.of(0),
                List.of(Contribution.ofStaleClient(ParamVector.of(8), 1, 3)));

        assertThat(rule.mixingWeight(3)).isEqualTo(0.125);
        assertClose(result, ParamVector.of(1), 1e-6);
    }

    @Test
    void appliesSeveralUpdatesInListOrder() {
        FedAsync rule = new FedAsync(0.5, new StalenessFunction.Constant());
        ParamVector result = rule.aggregate(ParamVector.of(0), List.of(
                Contribution.ofClient(ParamVector.of(4), 1),
                Contribution.ofClient(ParamVector.of(8), 1)));

        assertClose(result, ParamVector.of(5), 1e-6);
    }

    @Test
    void aDeltaMovesTheModelByAlphaTimesTheDelta() {
        ParamVector result = new FedAsync(0.25, new StalenessFunction.Constant())
                .aggregate(ParamVector.of(100), List.of(Contribution.ofDelta(ParamVector.of(8), 1, 0)));

        assertClose(result, ParamVector.of(102), 1e-6);
    }

    @Test
    void rejectsAlphaOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new FedAsync(1.5, new StalenessFunction.Constant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    }
}
