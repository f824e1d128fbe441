package io.starling.core.aggregate;

import static io.starling.core.aggregate.AggregationPropertiesTest.assertClose;

import io.starling.core.param.ParamVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedBuffTest {
    @Test
    void appliesTheMeanBufferedDeltaScaledByTheServerLearningRate() {
        FedBuff rule = new FedBuff(3, 0.5, new StalenessFunction.Constant());
        ParamVector result = rule.aggregate(ParamVector.of(10, 10), List.of(
                Contribution.ofDelta(ParamVector.of(3, 0), 1, 0),
                Contribution.ofDelta(ParamVector.of(0, 6), 1, 2),
                Contribution.ofDelta(ParamVector.of(3, 3), 1, 1)));

        assertClose(result, ParamVector.of(11, 11.5f), 1e-6);
    }

    @Test
    void takesTheDeltaOfAFullModelAgainstTheGlobalModel() {
        FedBuff rule = new FedBuff(2, 1.0, new StalenessFunction.Constant());
        ParamVector result = rule.aggregate(ParamVector.of(10), List.of(
                Contribution.ofClient(ParamVector.of(12), 1),
                Contribution.ofDelta(ParamVector.of(4), 1, 0)));

        assertClose(result, ParamVector.of(13), 1e-6);
    }

    @Test
    void discountsStaleDeltasWithTheStalenessFunction() {
        FedBuff rule = new FedBuff(1, 1.0, new StalenessFunction.Polynomial(0.5));
        ParamVector result = rule.aggregate(ParamVector.of(0),
                List.of(Contribution.ofDelta(ParamVector.of(4), 1, 3)));

        assertClose(result, ParamVector.of(2), 1e-6);
    }
}
