package io.starling.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DataStreamTest {
    /** Ten rows; row i has feature value i and label i % 2. */
    private static final Dataset TEN = tenRows();

    private static Dataset tenRows() {
        float[] x = new float[10];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            y[i] = i % 2;
        }
        return new ArrayDataset(x, y, 1, 2);
    }

    @Test
    void releasesRowsAtTheRateOfTheTimePassedIn() {
        DataStream s = DataStream.of(TEN, 2.0);

        assertThat(s.advanceTo(0)).isZero();
        assertThat(s.advanceTo(499)).isZero();
        assertThat(s.advanceTo(500)).isEqualTo(1);
        assertThat(s.advanceTo(2000)).isEqualTo(3);
        assertThat(s.arrived().size()).isEqualTo(4);
        assertThat(s.arrived().snapshot().features()).containsExactly(0f, 1f, 2f, 3f);
    }

    @Test
    void stopsAtTheEndOfItsSourceUnlessCycling() {
        DataStream stopping = DataStream.of(TEN, 10);
        DataStream cycling = new DataStream(TEN, 10, 0, true, List.of(), 0);

        stopping.advanceTo(5000);
        cycling.advanceTo(1500);

        assertThat(stopping.arrived().size()).isEqualTo(10);
        assertThat(stopping.exhausted()).isTrue();
        assertThat(cycling.arrived().size()).isEqualTo(15);
        assertThat(cycling.arrived().features()[12]).isEqualTo(2f);
        assertThat(cycling.exhausted()).isFalse();
    }

    @Test
    void nothingArrivesBeforeTheStartTime() {
        DataStream s = new DataStream(TEN, 1, 10_000, false, List.of(), 0);

        assertThat(s.advanceTo(10_999)).isZero();
        assertThat(s.advanceTo(11_000)).isEqualTo(1);
    }

    @Test
    void labelPermutationDriftChangesOnlyRowsArrivingAfterItsTime() {
        ConceptDrift swap = new ConceptDrift.LabelPermutation(3000, new int[] {1, 0});
        DataStream s = new DataStream(TEN, 1, 0, false, List.of(swap), 0);

        s.advanceTo(6000);

        assertThat(s.arrived().snapshot().labels()).as("rows 0, 1 arrive at 1 s and 2 s; rows 2.. from 3 s")
                .containsExactly(0, 1, 1, 0, 1, 0);
    }

    @Test
    void featureShiftDriftMovesInputsAndComposesWithLabelDrift() {
        List<ConceptDrift> drifts = List.of(
                ConceptDrift.FeatureShift.uniform(2000, 1, 100f),
                new ConceptDrift.LabelPermutation(4000, new int[] {1, 0}));
        DataStream s = new DataStream(TEN, 1, 0, false, drifts, 0);

        s.advanceTo(5000);

        assertThat(s.arrived().snapshot().features()).containsExactly(0f, 101f, 102f, 103f, 104f);
        assertThat(s.arrived().snapshot().labels()).containsExactly(0, 1, 0, 0, 1);
    }

    @Test
    void conceptAtAppliesTheDriftsDueByThatTimeToATestSet() {
        DataStream s = new DataStream(TEN, 1, 0, false, List.of(new ConceptDrift.LabelPermutation(3000, new int[] {1, 0})), 0);

        assertThat(s.conceptAt(2999, TEN).labels()).containsExactly(TEN.labels());
        assertThat(s.conceptAt(3000, TEN).labels()[0]).isEqualTo(1);
        assertThat(TEN.labels()[0]).as("the test set itself is not changed").isZero();
    }

    @Test
    void randomLabelPermutationIsAPermutationThatMovesLabels() {
        ConceptDrift.LabelPermutation p = ConceptDrift.LabelPermutation.random(0, 10, 3);

        assertThat(p.permutation()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(p.permutation()).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> new ConceptDrift.LabelPermutation(0, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a permutation");
    }

    @Test
    void timeGoingBackwardsIsRefused() {
        DataStream s = DataStream.of(TEN, 1);
        s.advanceTo(5000);

        assertThatThrownBy(() -> s.advanceTo(4000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time went backwards");
    }

    @Test
    void aJumpFarBeyondTheRetentionBoundKeepsOnlyTheNewestRows() {
        DataStream s = new DataStream(TEN, 1000, 0, true, List.of(), 20);

        long fresh = s.advanceTo(3_600_000);

        assertThat(fresh).isEqualTo(3_600_000);
        assertThat(s.arrived().size()).isEqualTo(20);
        assertThat(s.arrived().totalAppended()).isEqualTo(3_600_000);
        assertThat(s.arrived().features()[19]).as("row 3,599,999 is backing row 9").isEqualTo(9f);
    }

    @Property(tries = 300)
    void arrivalTimeIsTheFirstMillisecondARowIsCounted(
            @ForAll @DoubleRange(min = 0.01, max = 5000) double rate,
            @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long startMs,
            @ForAll @IntRange(min = 0, max = 100_000) int k) {
        DataStream s = new DataStream(TEN, rate, startMs, true, List.of(), 0);

        long t = s.arrivalTimeMs(k);

        assertThat(s.releasedBy(t)).isGreaterThanOrEqualTo(k + 1);
        assertThat(s.releasedBy(t - 1)).isLessThanOrEqualTo(k);
    }

    @Property(tries = 100)
    void advancingInStepsOrAtOnceGivesTheSameRows(
            @ForAll @DoubleRange(min = 0.1, max = 50) double rate,
            @ForAll @IntRange(min = 1, max = 20) int steps,
            @ForAll @IntRange(min = 1, max = 5000) int stepMs) {
        List<ConceptDrift> drifts = List.of(new ConceptDrift.LabelPermutation(stepMs * steps / 2, new int[] {1, 0}));
        DataStream stepped = new DataStream(TEN, rate, 0, true, drifts, 0);
        DataStream once = new DataStream(TEN, rate, 0, true, drifts, 0);

        for (int i = 1; i <= steps; i++) {
            stepped.advanceTo((long) i * stepMs);
        }
        once.advanceTo((long) steps * stepMs);

        assertThat(stepped.arrived().snapshot().features()).isEqualTo(once.arrived().snapshot().features());
        assertThat(stepped.arrived().snapshot().labels()).isEqualTo(once.arrived().snapshot().labels());
    }
}
