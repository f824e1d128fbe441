package io.starling.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.starling.core.data.SyntheticFedProx.FederatedData;
import io.starling.core.data.SyntheticFedProx.SampleSizes;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticFedProxTest {
    @Test
    void defaultsGiveSixtyFeaturesTenClassesAndFedProxSizes() {
        FederatedData fed = SyntheticFedProx.generate(30, 0.5, 0.5, 1);

        assertThat(fed.clients()).hasSize(30);
        assertThat(fed.clientTests()).hasSize(30);
        long testRows = 0;
        for (int k = 0; k < 30; k++) {
            Dataset train = fed.clients().get(k);
            Dataset test = fed.clientTests().get(k);
            int n = train.size() + test.size();
            assertThat(train.featureDim()).isEqualTo(60);
            assertThat(train.numClasses()).isEqualTo(10);
            assertThat(n).as("lognormal(4, 2) + 50 is at least 50").isGreaterThanOrEqualTo(50);
            assertThat(train.size()).isEqualTo((int) (0.9 * n));
            testRows += test.size();
        }
        assertThat(fed.test().size()).isEqualTo((int) testRows);
    }

    @Test
    void clientSizesAreHeavyTailed() {
        FederatedData fed = SyntheticFedProx.generate(200, 0, 0, 3);
        int[] sizes = fed.clients().stream().mapToInt(Dataset::size).sorted().toArray();

        double median = sizes[100];
        assertThat(sizes[199]).as("largest client far above the median").isGreaterThan((int) (10 * median));
    }

    @Test
    void sameSeedGivesIdenticalDataAndAnotherSeedDifferentData() {
        SampleSizes sizes = new SampleSizes.Fixed(40);
        FederatedData a = SyntheticFedProx.generate(5, 1, 1, 60, 10, sizes, false, 42);
        FederatedData b = SyntheticFedProx.generate(5, 1, 1, 60, 10, sizes, false, 42);
        FederatedData c = SyntheticFedProx.generate(5, 1, 1, 60, 10, sizes, false, 43);

        for (int k = 0; k < 5; k++) {
            assertThat(a.clients().get(k).features()).isEqualTo(b.clients().get(k).features());
            assertThat(a.clients().get(k).labels()).isEqualTo(b.clients().get(k).labels());
        }
        assertThat(a.test().features()).isEqualTo(b.test().features());
        assertThat(Arrays.equals(a.clients().get(0).features(), c.clients().get(0).features())).isFalse();
    }

    @Test
    void featureVarianceWithinAClientFollowsTheDiagonalCovariance() {
        Dataset d = SyntheticFedProx.generate(1, 1, 1, 60, 10, new SampleSizes.Fixed(20000), false, 7).clients().get(0);

        assertThat(columnVariance(d, 0)).isCloseTo(1.0, within(0.05));
        assertThat(columnVariance(d, 59)).isCloseTo(Math.pow(60, -1.2), within(0.001));
    }

    @Test
    void betaSpreadsTheClientsInputDistributions() {
        double homogeneous = spreadOfClientMeans(0.0);
        double heterogeneous = spreadOfClientMeans(2.0);

        assertThat(homogeneous).as("variance of client means is about 1/dim when beta = 0").isLessThan(0.05);
        assertThat(heterogeneous).as("and about beta^2 when beta = 2").isBetween(2.0, 6.5);
    }

    @Test
    void alphaShiftsEveryClassLogitEquallySoItLeavesLabelsUnchanged() {
        SampleSizes sizes = new SampleSizes.Fixed(100);
        FederatedData small = SyntheticFedProx.generate(20, 0, 1, 60, 10, sizes, false, 11);
        FederatedData large = SyntheticFedProx.generate(20, 5, 1, 60, 10, sizes, false, 11);

        for (int k = 0; k < 20; k++) {
            assertThat(large.clients().get(k).labels()).isEqualTo(small.clients().get(k).labels());
        }
    }

    @Test
    void clientsLabelMixesDifferUnlessIid() {
        SampleSizes sizes = new SampleSizes.Fixed(300);
        double nonIid = meanDistanceToPooledLabelMix(SyntheticFedProx.generate(50, 1, 1, 60, 10, sizes, false, 13));
        double iid = meanDistanceToPooledLabelMix(SyntheticFedProx.generate(50, 1, 1, 60, 10, sizes, true, 13));

        assertThat(iid).as("total variation of an IID client's label mix is sampling noise").isLessThan(0.15);
        assertThat(nonIid).isGreaterThan(0.4);
    }

    @Test
    void iidVariantSharesOneInputDistribution() {
        FederatedData fed = SyntheticFedProx.generate(100, 3, 3, 60, 10, new SampleSizes.Fixed(200), true, 5);

        assertThat(spreadOfClientMeans(fed)).isLessThan(0.01);
    }

    /** Mean over clients of the total-variation distance between its label mix and the pooled one. */
    private static double meanDistanceToPooledLabelMix(FederatedData fed) {
        double[] pooled = new double[10];
        long total = 0;
        for (Dataset d : fed.clients()) {
            int[] h = d.classHistogram();
            for (int c = 0; c < 10; c++) {
                pooled[c] += h[c];
            }
            total += d.size();
        }
        double sum = 0;
        for (Dataset d : fed.clients()) {
            int[] h = d.classHistogram();
            double tv = 0;
            for (int c = 0; c < 10; c++) {
                tv += Math.abs((double) h[c] / d.size() - pooled[c] / total) / 2;
            }
            sum += tv;
        }
        return sum / fed.clients().size();
    }

    private static double spreadOfClientMeans(double beta) {
        return spreadOfClientMeans(SyntheticFedProx.generate(200, 0, beta, 60, 10, new SampleSizes.Fixed(100), false, 9));
    }

    private static double spreadOfClientMeans(FederatedData fed) {
        double[] means = fed.clients().stream().mapToDouble(d -> {
            double s = 0;
            for (int i = 0; i < d.size() * d.featureDim(); i++) {
                s += d.features()[i];
            }
            return s / (d.size() * d.featureDim());
        }).toArray();
        double m = Arrays.stream(means).average().orElseThrow();
        return Arrays.stream(means).map(v -> (v - m) * (v - m)).sum() / means.length;
    }

    private static double columnVariance(Dataset d, int col) {
        double s = 0;
        double sq = 0;
        for (int i = 0; i < d.size(); i++) {
            double v = d.features()[i * d.featureDim() + col];
            s += v;
            sq += v * v;
        }
        double mean = s / d.size();
        return sq / d.size() - mean * mean;
    }
}
