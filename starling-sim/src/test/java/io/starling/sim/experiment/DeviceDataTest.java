package io.starling.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import io.starling.protocol.SplittableRng;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceDataTest {
    /** Ten rows, label = row index mod 4, feature = row index. */
    private static final Dataset ROWS = new ArrayDataset(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
            new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, 1, 4);

    private static DeviceData data(ExperimentConfig.Streaming streaming) {
        return new DeviceData(List.of(new FederatedData.Shard(ROWS, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
                new FederatedData.Shard(ROWS, new int[] {})), streaming, SplittableRng.seeded(1));
    }

    @Test
    void withoutStreamingADeviceHoldsItsWholeShardFromTheStart() {
        DeviceData d = data(new ExperimentConfig.Streaming(false, 0.1, 1, 60, 0, 1));
        assertThat(d.available(0, 0)).isEqualTo(10);
        assertThat(d.trainingSet(0, 0).size()).isEqualTo(10);
        assertThat(d.available(1, 0)).isZero();
        assertThat(d.recentWindow(1_000, 60_000, 100)).isNull();
    }

    @Test
    void streamedRowsArriveAtTheConfiguredRateUntilTheShardIsExhausted() {
        DeviceData d = data(new ExperimentConfig.Streaming(true, 0.2, 0.5, 60, 0, 1));
        assertThat(d.available(0, 0)).isEqualTo(2);
        assertThat(d.available(0, 3_999)).isEqualTo(3);
        assertThat(d.available(0, 4_000)).isEqualTo(4);
        assertThat(d.available(0, 1_000_000)).isEqualTo(10);
    }

    @Test
    void trainingUsesOnlyTheRowsThatHaveArrived() {
        DeviceData d = data(new ExperimentConfig.Streaming(true, 0.0, 1, 60, 0, 1));
        assertThat(d.trainingSet(0, 3_000).size()).isEqualTo(3);
    }

    @Test
    void recentWindowHoldsWhatArrivedInTheWindowOnly() {
        DeviceData d = data(new ExperimentConfig.Streaming(true, 0.0, 1, 60, 0, 1));
        Dataset w = d.recentWindow(8_000, 3_000, 100);
        assertThat(w.size()).isEqualTo(3); // rows arriving at 6, 7 and 8 s
    }

    @Test
    void rowsArrivingAfterTheDriftCarryShiftedLabels() {
        DeviceData plain = data(new ExperimentConfig.Streaming(true, 0.0, 1, 60, 0, 1));
        DeviceData drifted = data(new ExperimentConfig.Streaming(true, 0.0, 1, 60, 5, 1));
        Dataset before = plain.trainingSet(0, 10_000);
        Dataset after = drifted.trainingSet(0, 10_000);
        for (int i = 0; i < 10; i++) {
            int expected = i + 1 >= 5 ? (before.labels()[i] + 1) % 4 : before.labels()[i]; // row i arrives at (i+1) s
            assertThat(after.labels()[i]).as("row %d", i).isEqualTo(expected);
            assertThat(after.features()[i]).isEqualTo(before.features()[i]);
        }
    }
}
