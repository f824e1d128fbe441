package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import org.junit.jupiter.api.Test;

class ContributionTest {
    private final ParamVector global = ParamVector.of(10, 20);

    @Test
    void weightsAreTheirOwnWeightsAndTheirDeltaIsTakenFromTheGlobalModel() {
        Contribution c = Contribution.ofClient(ParamVector.of(11, 18), 5);

        assertThat(c.form()).isEqualTo(Contribution.Form.WEIGHTS);
        assertThat(c.weightsOver(global).contentEquals(ParamVector.of(11, 18))).isTrue();
        assertThat(c.deltaFrom(global).contentEquals(ParamVector.of(1, -2))).isTrue();
    }

    @Test
    void aDeltaIsItsOwnDeltaAndItsWeightsAreGlobalPlusDelta() {
        Contribution c = Contribution.ofDelta(ParamVector.of(1, -2), 5, 3);

        assertThat(c.deltaFrom(global).contentEquals(ParamVector.of(1, -2))).isTrue();
        assertThat(c.weightsOver(global).contentEquals(ParamVector.of(11, 18))).isTrue();
        assertThat(global.contentEquals(ParamVector.of(10, 20))).as("global untouched").isTrue();
    }

    @Test
    void theFiveComponentConstructorMeansFullWeights() {
        assertThat(new Contribution(global, 1, 0, 0, Contribution.Origin.PEER).form())
                .isEqualTo(Contribution.Form.WEIGHTS);
    }

    @Test
    void rejectsNonPositiveSamplesNegativeStalenessAndNegativeAge() {
        assertThatThrownBy(() -> Contribution.ofClient(global, 0)).hasMessageContaining("samples");
        assertThatThrownBy(() -> Contribution.ofStaleClient(global, 1, -1)).hasMessageContaining("staleness");
        assertThatThrownBy(() -> Contribution.ofPeer(global, Double.NaN)).hasMessageContaining("age");
    }
}
