package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void runsFederatedRoundsOnBundledDigitsAndReportsJson() throws Exception {
        CliRun run = CliRun.of("demo", "--clients", "6", "--rounds", "3", "--partition", "iid", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.get("history")).hasSize(3);
        assertThat(r.get("history").get(2).get("client_updates").asInt()).isEqualTo(9);
        assertThat(r.get("partition").asText()).isEqualTo("iid");
        assertThat(r.get("rule").asText()).isEqualTo("fedavg");
        assertThat(r.get("final_test_accuracy").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void unknownAggregationRuleIsAOneLineError() {
        CliRun run = CliRun.of("demo", "--rule", "fedmagic");
        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("starling: ").contains("fedmagic");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void unknownPartitionIsAOneLineError() {
        CliRun run = CliRun.of("demo", "--partition", "zipf:2");
        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("starling: ").contains("zipf");
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
