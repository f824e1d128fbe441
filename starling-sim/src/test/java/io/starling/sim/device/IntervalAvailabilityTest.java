package io.starling.sim.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IntervalAvailabilityTest {
    @Test
    void onlyInsideHalfOpenIntervals() {
        IntervalAvailability a = new IntervalAvailability(new long[] {10, 50}, new long[] {20, 60}, 0);
        assertThat(a.isAvailable(9)).isFalse();
        assertThat(a.isAvailable(10)).isTrue();
        assertThat(a.isAvailable(19)).isTrue();
        assertThat(a.isAvailable(20)).isFalse();
        assertThat(a.nextChangeAfter(0)).isEqualTo(10);
        assertThat(a.nextChangeAfter(10)).isEqualTo(20);
        assertThat(a.nextChangeAfter(20)).isEqualTo(50);
        assertThat(a.nextChangeAfter(60)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void periodicIntervalsRepeatAndJoinAcrossThePeriodBoundary() {
        IntervalAvailability a = new IntervalAvailability(new long[] {0, 80}, new long[] {10, 100}, 100);
        assertThat(a.isAvailable(105)).isTrue();
        assertThat(a.isAvailable(150)).isFalse();
        assertThat(a.nextChangeAfter(85)).isEqualTo(110); // on from 80 through 100 into 110
        assertThat(a.nextChangeAfter(110)).isEqualTo(180);
    }

    @Test
    void touchingIntervalsAreOneSession() {
        IntervalAvailability a = new IntervalAvailability(new long[] {0, 10}, new long[] {10, 20}, 0);
        assertThat(a.intervalCount()).isEqualTo(1);
        assertThat(a.nextChangeAfter(0)).isEqualTo(20);
    }

    @Test
    void overlappingIntervalsAreRejectedWithTheirIndices() {
        assertThatThrownBy(() -> new IntervalAvailability(new long[] {0, 5}, new long[] {10, 20}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval 1 starts at 5");
    }

    /** Between two consecutive reported changes the state is constant, and at each change it flips. */
    @Property(tries = 300)
    void nextChangeAgreesWithIsAvailable(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 20) Integer> gaps,
                                         @ForAll boolean periodic, @ForAll @IntRange(min = 0, max = 10) int startGap) {
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        long t = startGap;
        for (int i = 0; i + 1 < gaps.size(); i += 2) {
            starts.add(t);
            t += gaps.get(i);
            ends.add(t);
            t += gaps.get(i + 1);
        }
        if (starts.isEmpty()) {
            starts.add(t);
            ends.add(t + gaps.get(0));
            t += gaps.get(0);
        }
        long period = periodic ? t + (gaps.size() % 2 == 0 ? 0 : gaps.get(gaps.size() - 1)) : 0;
        if (periodic && period < ends.get(ends.size() - 1)) {
            period = ends.get(ends.size() - 1);
        }
        IntervalAvailability a = new IntervalAvailability(starts.stream().mapToLong(Long::longValue).toArray(),
                ends.stream().mapToLong(Long::longValue).toArray(), period);
        long horizon = 3 * Math.max(t, 1) + 5;
        long now = 0;
        while (now < horizon) {
            long next = a.nextChangeAfter(now);
            long until = Math.min(next, horizon);
            for (long s = now; s < until; s++) {
                assertThat(a.isAvailable(s)).as("state at %d equals state at %d", s, now).isEqualTo(a.isAvailable(now));
            }
            if (next >= horizon) {
                break;
            }
            assertThat(a.isAvailable(next)).as("flip at %d", next).isNotEqualTo(a.isAvailable(next - 1));
            now = next;
        }
    }
}
