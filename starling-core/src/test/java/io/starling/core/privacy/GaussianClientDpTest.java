package io.starling.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.starling.core.aggregate.Contribution;
import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianClientDpTest {
    @Test
    void clipsAnUpdateLongerThanTheBoundToTheBound() {
        GaussianClientDp dp = new GaussianClientDp(1.0, 0, 1);

        assertThat(dp.clip(ParamVector.of(3, 4)).norm()).isCloseTo(1.0, within(1e-6));
        assertThat(dp.clip(ParamVector.of(0.3f, 0.4f)).contentEquals(ParamVector.of(0.3f, 0.4f))).isTrue();
    }

    @Test
    void withoutNoiseIsTheMeanOfClippedDeltasOverTheExpectedClientCount() {
        GaussianClientDp dp = new GaussianClientDp(5.0, 0, 4);
        ParamVector result = dp.aggregate(ParamVector.of(1, 1), List.of(
                Contribution.ofClient(ParamVector.of(4, 5), 10),
                Contribution.ofDelta(ParamVector.of(0, 40), 1, 0)), new SplittableRandom(1));

        // (3, 4) + (0, 5) over m = 4
        assertThat(result.get(0)).isCloseTo(1 + 0.75f, within(1e-6f));
        assertThat(result.get(1)).isCloseTo(1 + 2.25f, within(1e-6f));
    }

    @Test
    void addsNoiseWithStandardDeviationSigmaTimesClipOverM() {
        GaussianClientDp dp = new GaussianClientDp(2.0, 1.5, 3);
        int dim = 200_000;
        ParamVector global = ParamVector.zeros(dim);
        ParamVector result = dp.aggregate(global, List.of(Contribution.ofClient(ParamVector.zeros(dim), 1)),
                new SplittableRandom(7));

        double sumSq = 0;
        for (int j = 0; j < dim; j++) {
            sumSq += (double) result.get(j) * result.get(j);
        }
        assertThat(Math.sqrt(sumSq / dim)).isCloseTo(dp.noiseStddev(), within(0.01 * dp.noiseStddev()));
        assertThat(dp.noiseStddev()).isEqualTo(1.0);
    }

    @Test
    void refusesMoreContributionsThanTheNoiseWasCalibratedFor() {
        GaussianClientDp dp = new GaussianClientDp(1.0, 1.0, 1);
        List<Contribution> two = List.of(Contribution.ofClient(ParamVector.of(1), 1),
                Contribution.ofClient(ParamVector.of(2), 1));

        assertThatThrownBy(() -> dp.aggregate(ParamVector.of(0), two, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected clients");
    }

    @Test
    void rejectsANonFiniteContribution() {
        GaussianClientDp dp = new GaussianClientDp(1.0, 1.0, 2);

        assertThatThrownBy(() -> dp.aggregate(ParamVector.of(0),
                List.of(Contribution.ofClient(ParamVector.of(Float.NaN), 1)), new SplittableRandom(1)))
                .isInstanceOf(NonFiniteValueException.class);
    }
}
