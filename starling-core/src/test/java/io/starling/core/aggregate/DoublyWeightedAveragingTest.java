package io.starling.core.aggregate;

import static io.starling.core.aggregate.AggregationPropertiesTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoublyWeightedAveragingTest {
    private final ParamVector shape = ParamVector.zeros(1);

    @Test
    void weightsTheServerByLambdaAndPeersByOneMinusLambdaTimesTheirAges() {
        ParamVector result = new DoublyWeightedAveraging(0.75).aggregate(shape, List.of(
                Contribution.ofServer(ParamVector.of(0), 4),
                Contribution.ofPeer(ParamVector.of(10), 2),
                Contribution.ofPeer(ParamVector.of(20), 6)));

        // (0.75*4*0 + 0.25*2*10 + 0.25*6*20) / (0.75*4 + 0.25*2 + 0.25*6) = 35 / 5
        assertClose(result, ParamVector.of(7), 1e-6);
    }

    @Test
    void withoutAServerModelIsTheAgeWeightedMeanOfThePeers() {
        ParamVector result = new DoublyWeightedAveraging(1.0).aggregate(shape, List.of(
                Contribution.ofPeer(ParamVector.of(0), 1),
                Contribution.ofPeer(ParamVector.of(8), 3)));

        assertClose(result, ParamVector.of(6), 1e-6);
    }

    @Test
    void whenAllAgesAreZeroTheTrustWeightsAloneDecide() {
        ParamVector result = new DoublyWeightedAveraging(0.5).aggregate(shape, List.of(
                Contribution.ofServer(ParamVector.of(0), 0),
                Contribution.ofPeer(ParamVector.of(3), 0),
                Contribution.ofPeer(ParamVector.of(6), 0)));

        assertClose(result, ParamVector.of(3), 1e-6);
    }

    @Test
    void fullTrustInTheServerReturnsTheServerModel() {
        ParamVector result = new DoublyWeightedAveraging(1.0).aggregate(shape, List.of(
                Contribution.ofServer(ParamVector.of(5), 3),
                Contribution.ofPeer(ParamVector.of(100), 50)));

        assertClose(result, ParamVector.of(5), 1e-6);
    }

    @Test
    void theMergedModelIsAsOldAsTheOldestContribution() {
        assertThat(DoublyWeightedAveraging.mergedAge(List.of(
                Contribution.ofServer(ParamVector.of(0), 4), Contribution.ofPeer(ParamVector.of(0), 9))))
                .isEqualTo(9);
    }
}
