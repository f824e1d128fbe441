package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StalenessFunctionTest {
    @Test
    void constantIgnoresStaleness() {
        assertThat(new StalenessFunction.Constant().weight(1000)).isEqualTo(1.0);
    }

    @Test
    void polynomialDecaysAsAPowerOfStalenessPlusOne() {
        assertThat(new StalenessFunction.Polynomial(0.5).weight(3)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void hingeKeepsFullWeightUpToItsThresholdThenDecays() {
        StalenessFunction.Hinge hinge = new StalenessFunction.Hinge(10, 4);

        assertThat(hinge.weight(4)).isEqualTo(1.0);
        assertThat(hinge.weight(5)).isCloseTo(1.0 / 11, within(1e-12));
    }

    @Property
    void everyFunctionGivesFullWeightToFreshUpdatesAndNeverMore(
            @ForAll @DoubleRange(min = 0.01, max = 5) double a, @ForAll @LongRange(min = 0, max = 10) long b,
            @ForAll @LongRange(min = 0, max = 1_000_000) long staleness) {
        for (StalenessFunction s : new StalenessFunction[] {new StalenessFunction.Constant(),
                new StalenessFunction.Polynomial(a), new StalenessFunction.Hinge(a, b)}) {
            assertThat(s.weight(0)).isEqualTo(1.0);
            assertThat(s.weight(staleness)).isGreaterThan(0).isLessThanOrEqualTo(1.0);
            assertThat(s.weight(staleness + 1)).isLessThanOrEqualTo(s.weight(staleness));
        }
    }
}
