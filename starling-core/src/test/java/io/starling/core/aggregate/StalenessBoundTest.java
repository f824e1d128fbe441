package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StalenessBoundTest {
    @Property
    void anUpdateWithinTheBoundHasStalenessCurrentMinusBase(@ForAll @LongRange(min = 0, max = 1000) long current,
            @ForAll @LongRange(min = 0, max = 50) long behind, @ForAll @LongRange(min = 0, max = 50) long max) {
        long base = Math.max(0, current - behind);
        StalenessBound bound = new StalenessBound(max);
        if (current - base <= max) {
            assertThat(bound.stalenessOf(base, current)).isEqualTo(current - base);
        } else {
            assertThatThrownBy(() -> bound.stalenessOf(base, current)).isInstanceOf(StaleUpdateException.class);
        }
    }

    @Test
    void anUpdateBeyondTheBoundIsTooStaleAndToldToRetrainOnTheLatestModel() {
        assertThatThrownBy(() -> new StalenessBound(3).stalenessOf(6, 10))
                .isInstanceOfSatisfying(StaleUpdateException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StaleUpdateException.Kind.TOO_STALE);
                    assertThat(e.baseVersion()).isEqualTo(6);
                    assertThat(e.currentVersion()).isEqualTo(10);
                })
                .hasMessage("update is 4 versions behind (base 6), more than maxStaleness 3; "
                        + "fetch the latest model (version 10) and train again");
    }

    @Test
    void aBaseNewerThanTheCurrentVersionIsAFutureVersion() {
        assertThatThrownBy(() -> new StalenessBound(3).stalenessOf(11, 10))
                .isInstanceOfSatisfying(StaleUpdateException.class,
                        e -> assertThat(e.kind()).isEqualTo(StaleUpdateException.Kind.FUTURE_VERSION));
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> new StalenessBound(-1)).hasMessageContaining("maxStaleness must be >= 0");
    }

    @Test
    void baseModelsKeepTheNewestVersionsUpToCapacity() {
        BaseModels window = BaseModels.forBound(new StalenessBound(2), 32);
        for (long v = 0; v < 5; v++) {
            window.put(v, ParamVector.of((float) v));
        }
        assertThat(window.capacity()).isEqualTo(3);
        assertThat(window.get(1)).isEmpty();
        assertThat(window.get(2).orElseThrow().toArray()).containsExactly(2f);
        assertThat(window.get(4).orElseThrow().toArray()).containsExactly(4f);
    }

    @Test
    void anOlderVersionPutIntoAFullWindowIsDroppedAtOnce() {
        BaseModels window = new BaseModels(2);
        window.put(7, ParamVector.of(7));
        window.put(8, ParamVector.of(8));
        window.put(3, ParamVector.of(3));
        assertThat(window.get(3)).isEmpty();
        assertThat(window.get(7)).isPresent();
    }

    @Test
    void aDeltaContributionIsTheProgressSinceItsOwnBase() {
        Contribution c = BaseModels.deltaContribution(ParamVector.of(5, 1), ParamVector.of(4, 3), 12, 2);
        assertThat(c.form()).isEqualTo(Contribution.Form.DELTA);
        assertThat(c.model().toArray()).containsExactly(1f, -2f);
        assertThat(c.staleness()).isEqualTo(2);
        assertThat(c.samples()).isEqualTo(12);
    }
}
