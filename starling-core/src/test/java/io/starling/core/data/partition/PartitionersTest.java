package io.starling.core.data.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionersTest {
    @Test
    void parsesEveryForm() {
        assertThat(Partitioners.parse("iid")).isEqualTo(new IidPartitioner());
        assertThat(Partitioners.parse("dirichlet:0.5")).isEqualTo(new DirichletPartitioner(0.5));
        assertThat(Partitioners.parse("shards:2")).isEqualTo(new ShardPartitioner(2));
        assertThat(Partitioners.parse("quantity:1.5")).isEqualTo(QuantitySkewPartitioner.powerLaw(1.5));
        assertThat(Partitioners.parse("quantity-dirichlet:0.3")).isEqualTo(QuantitySkewPartitioner.dirichlet(0.3));
    }

    @Test
    void namesAreCaseInsensitiveAndSpacesIgnored() {
        assertThat(Partitioners.parse(" Dirichlet : 0.1 ")).isEqualTo(new DirichletPartitioner(0.1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iid", "dirichlet:0.5", "shards:3", "quantity:1.5", "quantity-dirichlet:2.0"})
    void specRoundTripsThroughParse(String spec) {
        Partitioner p = Partitioners.parse(spec);

        assertThat(Partitioners.parse(p.spec())).isEqualTo(p);
    }

    @Test
    void unknownNameIsNamed() {
        assertThatThrownBy(() -> Partitioners.parse("zipf:2"))
                .isInstanceOf(PartitionSpecException.class)
                .hasMessageContaining("unknown partitioner 'zipf'")
                .hasMessageContaining("dirichlet:ALPHA")
                .extracting(e -> ((PartitionSpecException) e).token()).isEqualTo("zipf");
    }

    @Test
    void nonNumericParameterIsNamed() {
        assertThatThrownBy(() -> Partitioners.parse("dirichlet:half"))
                .isInstanceOf(PartitionSpecException.class)
                .hasMessageContaining("'half' is not a number")
                .extracting(e -> ((PartitionSpecException) e).token()).isEqualTo("half");
    }

    @Test
    void missingParameterIsNamed() {
        assertThatThrownBy(() -> Partitioners.parse("shards"))
                .isInstanceOf(PartitionSpecException.class)
                .hasMessageContaining("shards needs a parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dirichlet:0", "dirichlet:-1", "dirichlet:NaN", "quantity:Infinity", "shards:0", "shards:1.5"})
    void outOfRangeParametersAreRejectedNamingTheValue(String spec) {
        String value = spec.substring(spec.indexOf(':') + 1);

        assertThatThrownBy(() -> Partitioners.parse(spec))
                .isInstanceOf(PartitionSpecException.class)
                .hasMessageContaining(value)
                .extracting(e -> ((PartitionSpecException) e).token()).isEqualTo(value);
    }

    @Test
    void iidWithAParameterIsRejected() {
        assertThatThrownBy(() -> Partitioners.parse("iid:3"))
                .isInstanceOf(PartitionSpecException.class)
                .hasMessageContaining("iid takes no parameter");
    }

    @Test
    void aCustomPartitionerCanBeALambda() {
        Partitioner everythingToClientZero = (data, clients, seed) -> java.util.List.of(new int[] {0});

        assertThat(everythingToClientZero.spec()).isEqualTo("custom");
    }
}
