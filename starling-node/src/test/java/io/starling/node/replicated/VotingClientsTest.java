package io.starling.node.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.starling.net.transport.FreePorts;
import io.starling.node.RunningNode;
import io.starling.node.config.ConfigException;
import io.starling.node.config.NodeConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small federations: every client is also a voting member of the replicated aggregator (a
 * {@code cluster} section on a client), so any of them can lead, and training outlives the client
 * that leads. Three such nodes from YAML in one JVM, real Ratis and gRPC on 127.0.0.1.
 */
@Timeout(180)
class VotingClientsTest {
    private static final int NODES = 3;

    @TempDir
    Path dir;

    private final String groupId = UUID.randomUUID().toString();
    private final int[] raft = new int[NODES];
    private final int[] grpc = new int[NODES];
    private final int[] listen = new int[NODES];
    private final Map<String, VotingClientNode> running = new HashMap<>();

    @AfterEach
    void stopAll() {
        running.values().forEach(RunningNode::close);
    }

    private String yaml(int i) {
        StringBuilder members = new StringBuilder();
        StringBuilder peers = new StringBuilder();
        for (int j = 0; j < NODES; j++) {
            members.append("    - {id: v").append(j).append(", raft: \"127.0.0.1:").append(raft[j])
                    .append("\", grpc: \"127.0.0.1:").append(grpc[j]).append("\"}\n");
            peers.append("    - {id: v").append(j).append(", address: \"127.0.0.1:").append(listen[j]).append("\"}\n");
        }
        return """
                id: v%d
                role: client
                listen: "127.0.0.1:%d"
                dataDir: "%s"
                task: {id: mnist, model: logreg, mode: async, rule: fedavg}
                train: {maxSteps: 20}
                data: {clients: %d, index: %d}
                client:
                  attemptTimeoutMs: 2000
                  peers:
                %scluster:
                  groupId: %s
                  updatesPerCheckpoint: 2
                  electionTimeoutMinMs: 400
                  electionTimeoutMaxMs: 800
                  members:
                %s""".formatted(i, listen[i], dir.resolve("v" + i), NODES, i, peers, groupId, members);
    }

    private void pickPorts() {
        for (int i = 0; i < NODES; i++) {
            raft[i] = FreePorts.loopback();
            grpc[i] = FreePorts.loopback();
            listen[i] = FreePorts.loopback();
        }
    }

    @Test
    void everyClientIsAVotingMemberAndTrainingOutlivesTheClientThatLeads() {
        pickPorts();
        for (int i = 0; i < NODES; i++) {
            RunningNode node = RunningNode.start(NodeConfigLoader.parse(yaml(i)));
            assertThat(node).isInstanceOf(VotingClientNode.class);
            running.put("v" + i, (VotingClientNode) node);
        }
        await("a leader among the clients, and every client acknowledged").atMost(Duration.ofSeconds(90))
                .until(() -> running.containsKey(leader()) && running.values().stream()
                        .allMatch(n -> n.status().acknowledgedUpdates() >= 2));
        String first = leader();
        VotingClientNode leading = running.remove(first);
        long versionAtStop = leading.replica().status().version();
        leading.close();
        Map<String, Long> ackedBefore = new HashMap<>();
        running.forEach((id, n) -> ackedBefore.put(id, n.status().acknowledgedUpdates()));

        await("another client leads, the others keep being acknowledged and evaluate its newer models")
                .atMost(Duration.ofSeconds(90))
                .until(() -> running.containsKey(leader()) && running.entrySet().stream().allMatch(e ->
                        e.getValue().status().acknowledgedUpdates() >= ackedBefore.get(e.getKey()) + 2
                                && e.getValue().status().evaluatedVersion() > versionAtStop));
        assertThat(leader()).isNotEqualTo(first);
        List<Double> accuracies = new ArrayList<>();
        running.values().forEach(n -> accuracies.add(n.status().accuracy()));
        // A sanity bound (chance is 0.1): a few logistic-regression versions on skewed shards, not a
        // convergence claim; LocalFederationTest and DemoRunTest hold the accuracy targets.
        assertThat(accuracies).allSatisfy(a -> assertThat(a).isGreaterThan(0.2));
    }

    @Test
    void aVotingClientNeedsAListenAddressOfItsOwn() {
        pickPorts();
        String sameAsReplica = yaml(0).replace("listen: \"127.0.0.1:" + listen[0] + "\"",
                "listen: \"127.0.0.1:" + grpc[0] + "\"");
        assertThatThrownBy(() -> NodeConfigLoader.parse(sameAsReplica))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen: a client that is also a voting member");
    }

    /** Who the running replicas say leads ("" while none does). */
    private String leader() {
        return running.values().stream().map(n -> n.replica().status().leader())
                .filter(l -> l != null && !l.isEmpty()).findFirst().orElse("");
    }
}
