package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.net.transport.FreePorts;
import io.starling.node.RunningNode;
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
    void statusOfAReplicaGivenItsGrpcAddressShowsItsLeaderAndMembers() throws Exception {
        int raft = freePort();
        int grpc = freePort();
        String yaml = "id: r1\nrole: replica\nhttp: \"127.0.0.1:0\"\ndataDir: \"" + dir.resolve("r1")
                + "\"\ntask: {id: mnist, model: logreg, mode: async, rule: fedavg}\ncluster:\n  groupId: "
                + java.util.UUID.randomUUID() + "\n  members:\n    - {id: r1, raft: \"127.0.0.1:" + raft
                + "\", grpc: \"127.0.0.1:" + grpc + "\"}\n";
        try (RunningNode node = RunningNode.start(NodeConfigLoader.parse(yaml))) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> node.status().leader().equals("r1"));
            StringWriter text = new StringWriter();
            CommandLine cl = StarlingCli.commandLine();
            cl.setOut(new PrintWriter(text, true));
            assertThat(cl.execute("status", "--target", "127.0.0.1:" + grpc)).isZero();
            assertThat(text.toString()).contains("r1 (replica, async mode, task mnist)")
                    .contains("group     leader r1 (this replica), members r1");
        }
    }

    private static int freePort() throws java.io.IOException {
        return FreePorts.loopback();
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
