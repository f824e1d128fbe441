package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.DimensionMismatchException;
import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.DoubleRange;

/** Invariants every aggregation rule must keep, checked over generated rules and models. */
class AggregationPropertiesTest {

    /** Rules whose result does not depend on the order of the contributions. */
    @Provide
    Arbitrary<AggregationRule> orderIndependentRules() {
        return Arbitraries.oneOf(
                Arbitraries.just(new FedAvg()),
                Arbitraries.just(new CoordinateMedian()),
                Arbitraries.doubles().between(0, 0.45).map(TrimmedMean::new),
                Arbitraries.integers().between(0, 2).map(Krum::new),
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3))
                        .as(MultiKrum::new),
                Arbitraries.doubles().between(0, 1).map(DoublyWeightedAveraging::new),
                Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.doubles().between(0.1, 2))
                        .as((k, lr) -> new FedBuff(k, lr, new StalenessFunction.Polynomial(0.5))),
                Combinators.combine(Arbitraries.doubles().between(0.01, 10), Arbitraries.integers().between(1, 3))
                        .as(CenteredClipping::new),
                Arbitraries.doubles().between(0.01, 10).map(NormBounding::new));
    }

    /** Every rule family, with parameters under which identical models must come back unchanged. */
    @Provide
    Arbitrary<AggregationRule> identityPreservingRules() {
        return Arbitraries.oneOf(
                Arbitraries.just(new FedAvg()),
                Arbitraries.just(new CoordinateMedian()),
                Arbitraries.doubles().between(0, 0.45).map(TrimmedMean::new),
                Arbitraries.integers().between(0, 2).map(Krum::new),
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3))
                        .as(MultiKrum::new),
                Arbitraries.doubles().between(0, 1).map(DoublyWeightedAveraging::new),
                Arbitraries.integers().between(1, 20).map(k -> new FedBuff(k, 1.0, new StalenessFunction.Constant())),
                Arbitraries.just(new FedAsync(1.0, new StalenessFunction.Constant())),
                Arbitraries.integers().between(1, 3).map(iters -> new CenteredClipping(1e6, iters)),
                Arbitraries.just(new NormBounding(1e6)));
    }

    @Provide
    Arbitrary<AggregationRule> allRules() {
        return Arbitraries.oneOf(orderIndependentRules(),
                Arbitraries.doubles().between(0, 1).map(a -> new FedAsync(a, new StalenessFunction.Hinge(1, 2))));
    }

    @Property(tries = 200)
    void orderIndependentRulesIgnoreContributionOrder(@ForAll("orderIndependentRules") AggregationRule rule,
                                                      @ForAll @IntRange(min = 7, max = 12) int n,
                                                      @ForAll @IntRange(min = 1, max = 40) int dim,
                                                      @ForAll long seed) {
        Random random = new Random(seed);
        ParamVector global = randomVector(random, dim, 1);
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contributions.add(new Contribution(randomVector(random, dim, 1), 1 + random.nextInt(100),
                    random.nextInt(5), random.nextInt(50), randomOrigin(random)));
        }
        List<Contribution> shuffled = new ArrayList<>(contributions);
        Collections.shuffle(shuffled, random);

        ParamVector a = rule.aggregate(global, contributions);
        ParamVector b = rule.aggregate(global, shuffled);

        assertClose(b, a, 1e-5);
    }

    @Property(tries = 200)
    void aggregatingIdenticalModelsReturnsThatModel(@ForAll("identityPreservingRules") AggregationRule rule,
                                                    @ForAll @IntRange(min = 7, max = 12) int n,
                                                    @ForAll @IntRange(min = 1, max = 40) int dim,
                                                    @ForAll long seed) {
        Random random = new Random(seed);
        ParamVector global = randomVector(random, dim, 1);
        ParamVector model = randomVector(random, dim, 1);
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contributions.add(new Contribution(model.copy(), 1 + random.nextInt(100), 0,
                    random.nextInt(50), randomOrigin(random)));
        }

        assertClose(rule.aggregate(global, contributions), model, 1e-5);
    }

    @Property(tries = 100)
    void contributionsEqualToTheGlobalModelLeaveItUnchanged(@ForAll("allRules") AggregationRule rule,
                                                            @ForAll @IntRange(min = 7, max = 10) int n,
                                                            @ForAll long seed) {
        Random random = new Random(seed);
        ParamVector global = randomVector(random, 16, 3);
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contributions.add(new Contribution(global.copy(), 1 + random.nextInt(9), random.nextInt(4),
                    random.nextInt(9), randomOrigin(random)));
        }

        assertClose(rule.aggregate(global, contributions), global, 1e-5);
    }

    @Property(tries = 200)
    void medianStaysWithinTheHonestRangeWhenFewerThanHalfAreAdversarial(
            @ForAll @IntRange(min = 1, max = 15) int n, @ForAll long seed) {
        Random random = new Random(seed);
        int f = (n - 1) / 2;
        assertHonestRange(new CoordinateMedian(), n, f, random);
    }

    @Property(tries = 200)
    void trimmedMeanStaysWithinTheHonestRangeWhenBetaCoversTheAdversaries(
            @ForAll @IntRange(min = 1, max = 15) int n, @ForAll @DoubleRange(min = 0, max = 1) double fFraction,
            @ForAll long seed) {
        Random random = new Random(seed);
        int f = (int) Math.floor(fFraction * ((n - 1) / 2));
        double beta = Math.min(0.4999, (double) f / n + 1e-9);
        assertHonestRange(new TrimmedMean(beta), n, f, random);
    }

    @Property(tries = 200)
    void krumSelectsAnHonestModelWhenAdversariesAreFarAway(@ForAll @IntRange(min = 0, max = 4) int f,
                                                           @ForAll @IntRange(min = 0, max = 4) int extra,
                                                           @ForAll long seed) {
        Random random = new Random(seed);
        int n = 2 * f + 3 + extra;
        int dim = 8;
        ParamVector global = ParamVector.zeros(dim);
        List<ParamVector> honest = new ArrayList<>();
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n - f; i++) {
            ParamVector h = randomVector(random, dim, 1);
            honest.add(h);
            contributions.add(Contribution.ofClient(h, 1));
        }
        for (int i = 0; i < f; i++) {
            contributions.add(Contribution.ofClient(randomVector(random, dim, 1).plus(farAway(random, dim)), 1));
        }
        Collections.shuffle(contributions, random);

        ParamVector chosen = new Krum(f).aggregate(global, contributions);

        assertThat(honest).anySatisfy(h -> assertThat(h.contentEquals(chosen)).isTrue());
    }

    @Property(tries = 100)
    void multiKrumAveragesOnlyHonestModelsWhenAdversariesAreFarAway(@ForAll @IntRange(min = 1, max = 3) int f,
                                                                    @ForAll long seed) {
        Random random = new Random(seed);
        int n = 2 * f + 3;
        int dim = 8;
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n - f; i++) {
            contributions.add(Contribution.ofClient(randomVector(random, dim, 1), 1));
        }
        for (int i = 0; i < f; i++) {
            contributions.add(Contribution.ofClient(farAway(random, dim), 1));
        }

        ParamVector result = new MultiKrum(f, n - f).aggregate(ParamVector.zeros(dim), contributions);

        assertThat(result.norm()).isLessThan(Math.sqrt(dim));
    }

    @Property(tries = 100)
    void fedAsyncWithAlphaZeroKeepsTheGlobalModel(@ForAll @IntRange(min = 0, max = 50) int staleness,
                                                  @ForAll long seed) {
        Random random = new Random(seed);
        ParamVector global = randomVector(random, 10, 1);
        List<Contribution> update = List.of(Contribution.ofStaleClient(randomVector(random, 10, 1), 5, staleness));

        ParamVector result = new FedAsync(0, new StalenessFunction.Polynomial(0.5)).aggregate(global, update);

        assertThat(result.contentEquals(global)).isTrue();
    }

    @Property(tries = 100)
    void fedAsyncWithAlphaOneAndNoDiscountReturnsTheUpdate(@ForAll @IntRange(min = 0, max = 50) int staleness,
                                                           @ForAll long seed) {
        Random random = new Random(seed);
        ParamVector global = randomVector(random, 10, 1);
        ParamVector model = randomVector(random, 10, 1);

        ParamVector result = new FedAsync(1, new StalenessFunction.Constant())
                .aggregate(global, List.of(Contribution.ofStaleClient(model, 5, staleness)));

        assertClose(result, model, 1e-6);
    }

    @Property(tries = 100)
    void aContributionOfTheWrongDimensionIsRejected(@ForAll("allRules") AggregationRule rule,
                                                    @ForAll @IntRange(min = 1, max = 5) int surplus) {
        List<Contribution> contributions = identicalContributions(ParamVector.zeros(6), 9);
        contributions.set(4, Contribution.ofClient(ParamVector.zeros(6 + surplus), 1));

        assertThatThrownBy(() -> rule.aggregate(ParamVector.zeros(6), contributions))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining("contribution 4");
    }

    @Property(tries = 100)
    void aNonFiniteContributionIsRejected(@ForAll("allRules") AggregationRule rule,
                                          @ForAll @IntRange(min = 0, max = 5) int index,
                                          @ForAll @IntRange(min = 0, max = 2) int kind) {
        float bad = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[kind];
        List<Contribution> contributions = identicalContributions(ParamVector.of(1, 2, 3, 4, 5, 6), 9);
        ParamVector poisoned = ParamVector.of(1, 2, 3, 4, 5, 6);
        poisoned.set(index, bad);
        contributions.set(2, Contribution.ofClient(poisoned, 1));

        assertThatThrownBy(() -> rule.aggregate(ParamVector.zeros(6), contributions))
                .isInstanceOf(NonFiniteValueException.class)
                .hasMessageContaining("contribution 2")
                .extracting(e -> ((NonFiniteValueException) e).index()).isEqualTo(index);
    }

    @Property(tries = 50)
    void anEmptyContributionListIsRejected(@ForAll("allRules") AggregationRule rule) {
        assertThatThrownBy(() -> rule.aggregate(ParamVector.zeros(3), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one contribution");
    }

    @Property(tries = 100)
    void everySpecParsesBackToAnEqualRule(@ForAll("allRules") AggregationRule rule) {
        assertThat(AggregationRules.parse(rule.spec())).isEqualTo(rule);
    }

    private static void assertHonestRange(AggregationRule rule, int n, int f, Random random) {
        int dim = 12;
        float[] lo = new float[dim];
        float[] hi = new float[dim];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n - f; i++) {
            ParamVector h = randomVector(random, dim, 1);
            for (int j = 0; j < dim; j++) {
                lo[j] = Math.min(lo[j], h.get(j));
                hi[j] = Math.max(hi[j], h.get(j));
            }
            contributions.add(Contribution.ofClient(h, 1));
        }
        for (int i = 0; i < f; i++) {
            ParamVector evil = ParamVector.zeros(dim);
            for (int j = 0; j < dim; j++) {
                evil.set(j, (random.nextBoolean() ? 1 : -1) * (float) Math.pow(10, random.nextInt(30)));
            }
            contributions.add(Contribution.ofClient(evil, 1));
        }
        Collections.shuffle(contributions, random);

        ParamVector result = rule.aggregate(ParamVector.zeros(dim), contributions);

        for (int j = 0; j < dim; j++) {
            assertThat(result.get(j)).as("coordinate %d of %s with n=%d f=%d", j, rule.spec(), n, f)
                    .isBetween(lo[j], hi[j]);
        }
    }

    private static List<Contribution> identicalContributions(ParamVector model, int n) {
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contributions.add(Contribution.ofClient(model.copy(), 1));
        }
        return contributions;
    }

    private static ParamVector farAway(Random random, int dim) {
        ParamVector v = ParamVector.zeros(dim);
        for (int j = 0; j < dim; j++) {
            v.set(j, (float) (1e4 * (1 + random.nextDouble())));
        }
        return v;
    }

    private static ParamVector randomVector(Random random, int dim, double scale) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (float) (scale * random.nextGaussian());
        }
        return ParamVector.wrap(v);
    }

    private static Contribution.Origin randomOrigin(Random random) {
        return random.nextInt(4) == 0 ? Contribution.Origin.SERVER : Contribution.Origin.PEER;
    }

    static void assertClose(ParamVector actual, ParamVector expected, double tolerance) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int j = 0; j < expected.size(); j++) {
            double scale = Math.max(1, Math.abs(expected.get(j)));
            assertThat((double) actual.get(j)).as("coordinate %d", j)
                    .isCloseTo(expected.get(j), org.assertj.core.data.Offset.offset(tolerance * scale));
        }
    }
}
