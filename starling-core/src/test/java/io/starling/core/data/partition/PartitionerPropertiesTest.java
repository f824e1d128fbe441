package io.starling.core.data.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.data.ArrayDataset;
import io.starling.core.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The guarantees every {@link Partitioner} makes, checked over random data, sizes and seeds. */
class PartitionerPropertiesTest {

    @Provide
    Arbitrary<Partitioner> partitioners() {
        return Arbitraries.oneOf(
                Arbitraries.just(new IidPartitioner()),
                Arbitraries.doubles().between(0.01, 100).map(DirichletPartitioner::new),
                Arbitraries.doubles().between(0.1, 3).map(QuantitySkewPartitioner::powerLaw),
                Arbitraries.doubles().between(0.05, 10).map(QuantitySkewPartitioner::dirichlet));
    }

    /** Labels drawn at random from {@code classes} classes, with a class imbalance. */
    static Dataset randomLabels(int rows, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = Math.min(rng.nextInt(classes), rng.nextInt(classes));
        }
        return new ArrayDataset(new float[rows], y, 1, Math.max(2, classes));
    }

    @Property(tries = 200)
    void partitionIsADisjointCoverWithNoEmptyClient(
            @ForAll("partitioners") Partitioner p,
            @ForAll @IntRange(min = 1, max = 400) int rows,
            @ForAll @IntRange(min = 1, max = 60) int clientsWanted,
            @ForAll @IntRange(min = 2, max = 12) int classes,
            @ForAll long seed) {
        int clients = Math.min(clientsWanted, rows);
        Dataset data = randomLabels(rows, classes, seed);

        List<int[]> parts = p.partition(data, clients, seed);

        assertDisjointNonEmptyCover(parts, clients, rows);
    }

    @Property(tries = 200)
    void shardPartitionIsADisjointCoverWithAtMostKLabelsPerClient(
            @ForAll @IntRange(min = 1, max = 4) int shardsPerClient,
            @ForAll @IntRange(min = 10, max = 400) int rows,
            @ForAll @IntRange(min = 1, max = 40) int clientsWanted,
            @ForAll @IntRange(min = 2, max = 10) int classes,
            @ForAll long seed) {
        Dataset data = randomLabels(rows, classes, seed);
        int present = (int) java.util.Arrays.stream(data.classHistogram()).filter(c -> c > 0).count();
        int clients = Math.max(clientsWanted, (present + shardsPerClient - 1) / shardsPerClient);
        if ((long) clients * shardsPerClient > rows) {
            clients = rows / shardsPerClient;
        }
        if (clients < 1 || (long) clients * shardsPerClient < present) {
            return;
        }
        ShardPartitioner p = new ShardPartitioner(shardsPerClient);

        List<int[]> parts = p.partition(data, clients, seed);

        assertDisjointNonEmptyCover(parts, clients, rows);
        PartitionReport report = PartitionReport.of(data, parts);
        for (int c = 0; c < clients; c++) {
            assertThat(report.labelsPresent(c)).isBetween(1, shardsPerClient);
        }
    }

    @Property(tries = 100)
    void sameSeedGivesTheSamePartition(
            @ForAll("partitioners") Partitioner p,
            @ForAll @IntRange(min = 20, max = 300) int rows,
            @ForAll @IntRange(min = 1, max = 20) int clients,
            @ForAll long seed) {
        Dataset data = randomLabels(rows, 10, seed);

        List<int[]> first = p.partition(data, clients, seed);
        List<int[]> second = p.partition(data, clients, seed);

        assertThat(second).hasSameSizeAs(first);
        for (int c = 0; c < clients; c++) {
            assertThat(second.get(c)).containsExactly(first.get(c));
        }
    }

    static void assertDisjointNonEmptyCover(List<int[]> parts, int clients, int rows) {
        assertThat(parts).hasSize(clients);
        boolean[] seen = new boolean[rows];
        int total = 0;
        for (int[] part : parts) {
            assertThat(part).isNotEmpty().isSorted();
            for (int row : part) {
                assertThat(row).isBetween(0, rows - 1);
                assertThat(seen[row]).as("row %d given to two clients", row).isFalse();
                seen[row] = true;
                total++;
            }
        }
        assertThat(total).isEqualTo(rows);
    }
}
