package io.starling.core.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each partitioner is for: the skew it produces and the requests it refuses. */
class PartitionerBehaviourTest {
    /** 2,000 rows, 10 balanced classes, labels interleaved. */
    private static final Dataset BALANCED = balanced(2000, 10);

    static Dataset balanced(int rows, int classes) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
        }
        return new ArrayDataset(new float[rows], y, 1, classes);
    }

    @Test
    void iidClientsAreEqualInSizeAndSeeEveryClass() {
        PartitionReport r = PartitionReport.of(BALANCED, new IidPartitioner().partition(BALANCED, 10, 7));

        for (int c = 0; c < 10; c++) {
            assertThat(r.clientSize(c)).isEqualTo(200);
            assertThat(r.labelsPresent(c)).isEqualTo(10);
        }
    }

    @Test
    void smallDirichletAlphaGivesSkewedHistogramsAndLargeAlphaNearlyIid() {
        PartitionReport skewed = PartitionReport.of(BALANCED, new DirichletPartitioner(0.1).partition(BALANCED, 20, 3));
        PartitionReport mild = PartitionReport.of(BALANCED, new DirichletPartitioner(100).partition(BALANCED, 20, 3));

        assertThat(skewed.meanDominantClassShare()).isGreaterThan(0.5);
        assertThat(skewed.meanLabelsPerClient()).isLessThan(5);
        assertThat(mild.meanDominantClassShare()).isLessThan(0.2);
        assertThat(mild.meanLabelsPerClient()).isEqualTo(10.0);
    }

    @Test
    void extremelySmallAlphaStillLeavesNoClientEmpty() {
        List<int[]> parts = new DirichletPartitioner(0.001).partition(BALANCED, 100, 11);

        PartitionerPropertiesTest.assertDisjointNonEmptyCover(parts, 100, BALANCED.size());
    }

    @Test
    void differentSeedsGiveDifferentPartitions() {
        DirichletPartitioner p = new DirichletPartitioner(0.5);

        assertThat(p.partition(BALANCED, 10, 1).get(0)).isNotEqualTo(p.partition(BALANCED, 10, 2).get(0));
    }

    @Test
    void twoShardsPerClientGiveAtMostTwoLabelsAndMcMahanSizes() {
        PartitionReport r = PartitionReport.of(BALANCED, new ShardPartitioner(2).partition(BALANCED, 100, 5));

        for (int c = 0; c < 100; c++) {
            assertThat(r.labelsPresent(c)).isBetween(1, 2);
            assertThat(r.clientSize(c)).isEqualTo(20);
        }
    }

    @Test
    void shardsThatCannotCoverEveryClassAreRefusedWithAHint() {
        assertThatThrownBy(() -> new ShardPartitioner(1).partition(BALANCED, 5, 1))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("10 classes")
                .hasMessageContaining("at least 2 shards per client");
    }

    @Test
    void powerLawSizesAreLongTailedButLabelsStayMixed() {
        PartitionReport r = PartitionReport.of(BALANCED, QuantitySkewPartitioner.powerLaw(1.5).partition(BALANCED, 20, 9));
        int[] sizes = new int[20];
        for (int c = 0; c < 20; c++) {
            sizes[c] = r.clientSize(c);
        }
        Arrays.sort(sizes);

        assertThat(sizes[19]).isGreaterThan(10 * sizes[0]);
        double harmonic = 0;
        for (int rank = 1; rank <= 20; rank++) {
            harmonic += Math.pow(rank, -1.5);
        }
        double largestShare = 1 + (BALANCED.size() - 20) / harmonic;
        assertThat((double) sizes[19]).as("one guaranteed row plus the rank-1 share of the rest")
                .isCloseTo(largestShare, org.assertj.core.data.Offset.offset(1.0));
        assertThat(r.labelsPresent(indexOfLargest(r))).isEqualTo(10);
    }

    @Test
    void moreClientsThanRowsIsRefused() {
        Dataset tiny = balanced(3, 2);

        assertThatThrownBy(() -> new IidPartitioner().partition(tiny, 4, 1))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("4 clients")
                .hasMessageContaining("3 examples");
    }

    @Test
    void splitReturnsTheClientsDatasets() {
        List<Dataset> parts = new IidPartitioner().split(BALANCED, 4, 1);

        assertThat(parts).hasSize(4);
        assertThat(parts.stream().mapToInt(Dataset::size).sum()).isEqualTo(BALANCED.size());
        assertThat(parts.get(0).numClasses()).isEqualTo(10);
    }

    private static int indexOfLargest(PartitionReport r) {
        int best = 0;
        for (int c = 1; c < r.clients(); c++) {
            if (r.clientSize(c) > r.clientSize(best)) {
                best = c;
            }
        }
        return best;
    }
}
