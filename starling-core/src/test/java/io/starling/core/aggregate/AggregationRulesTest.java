package io.starling.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AggregationRulesTest {
    @Test
    void parsesEveryDocumentedExample() {
        assertThat(AggregationRules.parse("fedavg")).isEqualTo(new FedAvg());
        assertThat(AggregationRules.parse("fedasync:alpha=0.6,staleness=poly:0.5"))
                .isEqualTo(new FedAsync(0.6, new StalenessFunction.Polynomial(0.5)));
        assertThat(AggregationRules.parse("fedasync:alpha=0.9,staleness=hinge:10:4"))
                .isEqualTo(new FedAsync(0.9, new StalenessFunction.Hinge(10, 4)));
        assertThat(AggregationRules.parse("fedbuff:k=10,lr=1.0"))
                .isEqualTo(new FedBuff(10, 1.0, new StalenessFunction.Constant()));
        assertThat(AggregationRules.parse("doubly-weighted:lambda=0.7")).isEqualTo(new DoublyWeightedAveraging(0.7));
        assertThat(AggregationRules.parse("median")).isEqualTo(new CoordinateMedian());
        assertThat(AggregationRules.parse("trimmed-mean:0.1")).isEqualTo(new TrimmedMean(0.1));
        assertThat(AggregationRules.parse("krum:f=2")).isEqualTo(new Krum(2));
        assertThat(AggregationRules.parse("multi-krum:f=2,m=5")).isEqualTo(new MultiKrum(2, 5));
        assertThat(AggregationRules.parse("centered-clipping:tau=10,iters=3")).isEqualTo(new CenteredClipping(10, 3));
        assertThat(AggregationRules.parse("norm-bounding:bound=5")).isEqualTo(new NormBounding(5));
    }

    @Test
    void fillsInDefaultsForOptionalParameters() {
        assertThat(AggregationRules.parse("fedasync")).isEqualTo(new FedAsync(0.6, new StalenessFunction.Constant()));
        assertThat(AggregationRules.parse("fedbuff")).isEqualTo(new FedBuff(10, 1.0, new StalenessFunction.Constant()));
        assertThat(AggregationRules.parse("centered-clipping:tau=1")).isEqualTo(new CenteredClipping(1, 1));
    }

    @Test
    void toleratesCaseAndSpacesAroundTokens() {
        assertThat(AggregationRules.parse(" Multi-Krum: f = 1 , m = 2 ")).isEqualTo(new MultiKrum(1, 2));
    }

    @ParameterizedTest(name = "{0} -> bad token {1}")
    @CsvSource(delimiter = '|', value = {
        "fedavgg                       | fedavgg",
        "krum                          | f",
        "krum:f=two                    | f=two",
        "krum:f=-1                     | f=-1",
        "krum:g=1                      | g=1",
        "krum:f=1,f=2                  | f=2",
        "fedavg:3                      | 3",
        "trimmed-mean:0.5              | beta=0.5",
        "trimmed-mean:NaN              | beta=NaN",
        "fedasync:alpha=0.6,staleness=poly:x | x",
        "fedasync:staleness=cubic      | cubic",
        "fedasync:alpha=2              | alpha=2",
        "fedbuff:k=10,lr=0             | lr=0",
        "multi-krum:f=1,m=0            | m=0",
        "norm-bounding:bound=           | bound=",
        "median:,                      | ''",
    })
    void namesTheBadTokenInItsError(String spec, String token) {
        assertThatThrownBy(() -> AggregationRules.parse(spec))
                .isInstanceOf(AggregationSpecException.class)
                .satisfies(e -> assertThat(((AggregationSpecException) e).token().trim()).isEqualTo(token))
                .hasMessageContaining("'" + spec + "'");
    }

    @Test
    void anEmptySpecListsTheKnownRules() {
        assertThatThrownBy(() -> AggregationRules.parse("  "))
                .isInstanceOf(AggregationSpecException.class)
                .hasMessageContaining("fedavg").hasMessageContaining("krum");
    }
}
