package io.starling.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamingDatasetTest {
    private static float[] row(float... v) {
        return v;
    }

    @Test
    void startsEmptyAndSizeIsWhatHasArrived() {
        StreamingDataset s = new StreamingDataset(2, 3);
        assertThat(s.size()).isZero();

        s.append(row(1, 2), 0);
        s.append(row(3, 4), 2);

        assertThat(s.size()).isEqualTo(2);
        assertThat(s.classHistogram()).containsExactly(1, 0, 1);
    }

    @Test
    void growsPastItsInitialCapacityKeepingEveryRowAndSpareCapacity() {
        StreamingDataset s = new StreamingDataset(3, 2);
        for (int i = 0; i < 1000; i++) {
            s.append(row(i, -i, 0.5f), i % 2);
        }

        assertThat(s.size()).isEqualTo(1000);
        assertThat(s.labels().length).isGreaterThanOrEqualTo(1000);
        assertThat(s.features()[999 * 3]).isEqualTo(999f);
        assertThat(s.features()[999 * 3 + 1]).isEqualTo(-999f);
        assertThat(s.labels()[999]).isEqualTo(1);
    }

    @Test
    void subsetAndHistogramSeeOnlyArrivedRowsDespiteSpareCapacity() {
        StreamingDataset s = new StreamingDataset(1, 2);
        s.append(row(7), 1);

        assertThat(s.labels().length).isGreaterThan(1);
        assertThat(s.classHistogram()).containsExactly(0, 1);
        assertThat(s.subset(new int[] {0}).features()).containsExactly(7f);
        assertThatThrownBy(() -> s.subset(new int[] {1})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void recentWindowIsACopyOfTheLastRows() {
        StreamingDataset s = new StreamingDataset(1, 2);
        for (int i = 0; i < 10; i++) {
            s.append(row(i), i % 2);
        }

        Dataset w = s.recentWindow(3);
        s.append(row(10), 0);

        assertThat(w.features()).containsExactly(7f, 8f, 9f);
        assertThat(w.labels()).containsExactly(1, 0, 1);
        assertThat(s.recentWindow(100).size()).isEqualTo(11);
        assertThat(s.recentWindow(0).size()).isZero();
    }

    @Test
    void retentionKeepsTheNewestRowsWithinItsBound() {
        StreamingDataset s = new StreamingDataset(1, 2, 100);
        for (int i = 0; i < 1000; i++) {
            s.append(row(i), 0);
            if (i >= 100) {
                assertThat(s.size()).isBetween(100, 125);
            }
        }

        assertThat(s.totalAppended()).isEqualTo(1000);
        assertThat(s.features()[s.size() - 1]).isEqualTo(999f);
        assertThat(s.features()[0]).isEqualTo(1000f - s.size());
        assertThat(s.features().length).isLessThanOrEqualTo(125);
    }

    @Test
    void malformedRowsAreRejectedBeforeAnythingIsStored() {
        StreamingDataset s = new StreamingDataset(2, 3);

        assertThatThrownBy(() -> s.append(row(1), 0))
                .isInstanceOf(InvalidExampleException.class).hasMessageContaining("1 features, expected 2");
        assertThatThrownBy(() -> s.append(row(1, Float.NaN), 0))
                .isInstanceOf(InvalidExampleException.class).hasMessageContaining("feature 1 is NaN");
        assertThatThrownBy(() -> s.append(row(1, 2), 3))
                .isInstanceOf(InvalidExampleException.class).hasMessageContaining("label 3 is outside [0, 3)");
        assertThat(s.size()).isZero();
        assertThat(s.totalAppended()).isZero();
    }

    @Test
    void rowsCanBeCopiedFromAnotherDataset() {
        Dataset src = new ArrayDataset(new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2, 2);
        StreamingDataset s = new StreamingDataset(2, 2);

        s.appendRow(src, 1);

        assertThat(s.snapshot().features()).containsExactly(3f, 4f);
        assertThat(s.snapshot().labels()).containsExactly(1);
    }
}
