package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.node.StarlingNode;
import io.starling.node.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void statusShowsARunningAggregatorsRoleVersionAndClients() throws Exception {
        String yaml = "id: agg-1\nrole: aggregator\nlisten: \"127.0.0.1:0\"\nhttp: \"127.0.0.1:0\"\ndataDir: \"" + dir
                + "\"\ntask: {id: mnist, model: logreg, mode: async}\n";
        try (StarlingNode node = StarlingNode.start(NodeConfigLoader.parse(yaml))) {
            String target = "127.0.0.1:" + node.httpPort();
            StringWriter out = new StringWriter();
            CommandLine cl = StarlingCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertThat(cl.execute("status", "--target", target, "--json")).isZero();
            JsonNode s = new ObjectMapper().readTree(out.toString());
            assertThat(s.get("id").asText()).isEqualTo("agg-1");
            assertThat(s.get("role").asText()).isEqualTo("aggregator");
            assertThat(s.get("mode").asText()).isEqualTo("async");
            assertThat(s.get("version").asLong()).isZero();
            assertThat(s.get("clients")).isEmpty();

            StringWriter text = new StringWriter();
            cl.setOut(new PrintWriter(text, true));
            assertThat(cl.execute("status", "--target", target)).isZero();
            assertThat(text.toString()).contains("agg-1 (aggregator, async mode, task mnist)").contains("updates   0 accepted");
        }
    }

    @Test
    void statusAcceptsTheNodesGrpcAddressAndFindsItsHttpStatusThroughIt() throws Exception {
        String yaml = "id: client-7\nrole: client\nlisten: \"127.0.0.1:0\"\nhttp: \"127.0.0.1:0\"\ndataDir: \"" + dir
                + "\"\ntask: {id: mnist, model: logreg, mode: async}\nclient: {aggregatorId: agg, aggregatorAddress: "
                + "\"127.0.0.1:1\"}\ndata: {source: mnist10k, partition: iid, clients: 2, index: 0}\n";
        try (StarlingNode node = StarlingNode.start(NodeConfigLoader.parse(yaml))) {
            StringWriter out = new StringWriter();
            CommandLine cl = StarlingCli.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertThat(cl.execute("status", "--target", node.address(), "--json")).isZero();
            JsonNode s = new ObjectMapper().readTree(out.toString());
            assertThat(s.get("id").asText()).isEqualTo("client-7");
            assertThat(s.get("role").asText()).isEqualTo("client");
            assertThat(s.get("address").asText()).isEqualTo(node.address());
        }
    }

    @Test
    void statusOfANodeThatDoesNotAnswerSaysSoWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = StarlingCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("status", "--target", "127.0.0.1:1")).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(err.toString()).contains("no node answers at 127.0.0.1:1");
    }
}
