package io.starling.core.data.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionReportTest {
    private static final Dataset DATA = new ArrayDataset(new float[6], new int[] {0, 0, 1, 2, 2, 2}, 1, 3);

    @Test
    void histogramsCountEachClientsClasses() {
        PartitionReport r = PartitionReport.of(DATA, List.of(new int[] {0, 3}, new int[] {1, 2, 4, 5}));

        assertThat(r.histogram(0)).containsExactly(1, 0, 1);
        assertThat(r.histogram(1)).containsExactly(1, 1, 2);
        assertThat(r.clientSize(1)).isEqualTo(4);
        assertThat(r.labelsPresent(0)).isEqualTo(2);
    }

    @Test
    void tableHasAHeaderALinePerClientAndASummary() {
        String table = PartitionReport.of(DATA, List.of(new int[] {0, 3}, new int[] {1, 2, 4, 5})).toTable();

        assertThat(table.lines()).hasSize(4);
        assertThat(table.lines().findFirst().orElseThrow()).contains("client", "size", "labels", "c0", "c2");
        assertThat(table).contains("2 clients, sizes 2..4");
    }

    @Test
    void reportIsNotChangedThroughItsAccessors() {
        PartitionReport r = PartitionReport.of(DATA, List.of(new int[] {0, 1, 2, 3, 4, 5}));

        r.histograms()[0][0] = 99;
        r.histogram(0)[1] = 99;

        assertThat(r.histogram(0)).containsExactly(2, 1, 3);
    }
}
