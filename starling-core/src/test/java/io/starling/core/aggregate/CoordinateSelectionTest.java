package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CoordinateSelectionTest {
    @Property(tries = 500)
    void selectPutsTheKthSmallestValueAtKWithSmallerBeforeAndLargerAfter(
            @ForAll @Size(min = 1, max = 120) List<@FloatRange(min = -5, max = 5) Float> values,
            @ForAll @IntRange(min = 0, max = 119) int kSeed) {
        float[] a = new float[values.size() + 2];
        for (int i = 0; i < values.size(); i++) {
            a[i + 1] = values.get(i);
        }
        int lo = 1;
        int hi = values.size();
        int k = lo + kSeed % values.size();
        float[] sorted = Arrays.copyOfRange(a, lo, hi + 1);
        Arrays.sort(sorted);

        CoordinateSelection.select(a, lo, hi, k);

        assertThat(a[k]).isEqualTo(sorted[k - lo]);
        for (int i = lo; i < k; i++) {
            assertThat(a[i]).isLessThanOrEqualTo(a[k]);
        }
        for (int i = k + 1; i <= hi; i++) {
            assertThat(a[i]).isGreaterThanOrEqualTo(a[k]);
        }
        assertThat(a[0]).as("outside the range untouched").isZero();
        assertThat(a[hi + 1]).isZero();
    }

    @Property(tries = 200)
    void medianAndTrimmedMeanMatchSortingEachCoordinate(@ForAll @IntRange(min = 1, max = 60) int n,
                                                        @ForAll @IntRange(min = 1, max = 600) int dim,
                                                        @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[][] xs = new float[n][dim];
        for (float[] x : xs) {
            for (int j = 0; j < dim; j++) {
                x[j] = random.nextInt(7) - 3 + random.nextFloat();
            }
        }
        int trim = random.nextInt((n + 1) / 2);
        float[] median = CoordinateSelection.median(xs, dim);
        float[] trimmed = CoordinateSelection.trimmedMean(xs, dim, trim);

        for (int j = 0; j < dim; j++) {
            float[] column = new float[n];
            for (int i = 0; i < n; i++) {
                column[i] = xs[i][j];
            }
            Arrays.sort(column);
            double expectedMedian = n % 2 == 1 ? column[n / 2] : ((double) column[n / 2 - 1] + column[n / 2]) / 2;
            double sum = 0;
            for (int i = trim; i < n - trim; i++) {
                sum += column[i];
            }
            assertThat((double) median[j]).isCloseTo(expectedMedian, org.assertj.core.data.Offset.offset(1e-6));
            assertThat((double) trimmed[j]).isCloseTo(sum / (n - 2 * trim), org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
