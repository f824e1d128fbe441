package io.starling.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {
    @Property
    void fullParticipationIsThePlainGaussianMechanism(@ForAll @DoubleRange(min = 0.3, max = 10) double sigma,
                                                      @ForAll @IntRange(min = 2, max = 256) int order) {
        assertThat(new RdpAccountant(sigma, 1.0).rdpPerStep(order))
                .isCloseTo(order / (2 * sigma * sigma), within(1e-12));
    }

    @Test
    void subsamplingAtSmallRatesScalesRdpByRoughlyQSquared() {
        double q = 1e-3;
        double sigma = 2;
        int order = 4;
        double leadingTerm = order * q * q * Math.expm1(1 / (sigma * sigma)) / 2;

        assertThat(new RdpAccountant(sigma, q).rdpPerStep(order)).isCloseTo(leadingTerm, within(0.02 * leadingTerm));
    }

    @Test
    void agreesWithTheMomentsAccountantExampleOfAbadiEtAl() {
        // Abadi et al. 2016, §3.1: q = 0.01, sigma = 4, delta = 1e-5, T = 10000 gives epsilon ~ 1.26 with
        // the moments accountant; RDP with the Balle et al. conversion is at most slightly tighter.
        RdpAccountant.PrivacySpent spent = new RdpAccountant(4, 0.01).spent(10_000, 1e-5);

        assertThat(spent.epsilon()).isBetween(1.0, 1.3);
    }

    @Property(tries = 50)
    void moreStepsNeverCostLessPrivacy(@ForAll @DoubleRange(min = 0.5, max = 5) double sigma,
                                       @ForAll @DoubleRange(min = 0.001, max = 1) @Scale(4) double q,
                                       @ForAll @IntRange(min = 0, max = 1000) int steps) {
        RdpAccountant accountant = new RdpAccountant(sigma, q);

        assertThat(accountant.spent(steps + 1, 1e-5).epsilon())
                .isGreaterThanOrEqualTo(accountant.spent(steps, 1e-5).epsilon());
    }

    @Property(tries = 50)
    void moreNoiseAndLessSamplingCostLessPrivacy(@ForAll @DoubleRange(min = 0.5, max = 5) double sigma,
                                                 @ForAll @DoubleRange(min = 0.01, max = 0.5) double q) {
        double base = new RdpAccountant(sigma, q).spent(100, 1e-5).epsilon();

        assertThat(new RdpAccountant(sigma * 1.5, q).spent(100, 1e-5).epsilon()).isLessThanOrEqualTo(base);
        assertThat(new RdpAccountant(sigma, q / 2).spent(100, 1e-5).epsilon()).isLessThanOrEqualTo(base);
    }
}
