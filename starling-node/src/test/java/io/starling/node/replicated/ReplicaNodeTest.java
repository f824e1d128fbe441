package io.starling.node.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.node.NodeStatus;
import io.starling.node.RunningNode;
import io.starling.node.config.NodeConfigLoader;
import io.starling.protocol.NodeId;
import io.starling.raft.grpc.AdminToken;
import io.starling.raft.grpc.ClusterClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated aggregator's node roles started from YAML in this JVM, over real Ratis, gRPC
 * and HTTP on 127.0.0.1: a one-replica group (which elects itself) and a client of it.
 */
class ReplicaNodeTest {
    private static final LocalNode ADMIN = new LocalNode(NodeId.of("admin"), "", java.time.Clock.systemUTC());

    @TempDir
    Path dir;

    private String replicaYaml(int raftPort, int grpcPort) {
        return """
                id: r1
                role: replica
                http: "127.0.0.1:0"
                dataDir: "%s"
                task: {id: mnist, model: logreg, mode: async, rule: fedavg}
                cluster:
                  groupId: %s
                  updatesPerCheckpoint: 1
                  members:
                    - {id: r1, raft: "127.0.0.1:%d", grpc: "127.0.0.1:%d"}
                """.formatted(dir.resolve("r1"), UUID.randomUUID(), raftPort, grpcPort);
    }

    @Test
    void aReplicaFromYamlLeadsItsGroupAndReportsRoleLeaderAndMembersOverHttp() throws Exception {
        int grpc = freePort();
        try (RunningNode node = RunningNode.start(NodeConfigLoader.parse(replicaYaml(freePort(), grpc)))) {
            assertThat(node).isInstanceOf(ReplicaNode.class);
            assertThat(node.address()).isEqualTo("127.0.0.1:" + grpc);
            await().atMost(Duration.ofSeconds(60)).until(() -> node.status().leader().equals("r1"));
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/api/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("\"role\":\"replica\"", "\"leader\":\"r1\"", "\"members\":[\"r1\"]");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("starling_replica_is_leader 1.0");
        }
    }

    @Test
    void aReplicaWithAnAdminTokenFileRefusesMembershipChangesWithoutTheToken() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("admin.token"), "node-admin-token-0123456789\n");
        int grpc = freePort();
        String yaml = replicaYaml(freePort(), grpc) + "  adminTokenFile: \"" + tokenFile + "\"\n";
        try (RunningNode node = RunningNode.start(NodeConfigLoader.parse(yaml));
             PeerChannels channels = new PeerChannels(ADMIN, TransportOptions.defaults(), null)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.status().leader().equals("r1"));
            ClusterClient admin = new ClusterClient(channels, ADMIN, "127.0.0.1:" + grpc, 10_000);

            assertThatThrownBy(() -> admin.transferLeadership("r1", 1_000))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThat(admin.withAdminToken(AdminToken.readFile(tokenFile)).transferLeadership("r1", 1_000).getReplicaId())
                    .isEqualTo("r1");
        }
    }

    @Test
    void aClientOfTheGroupFromYamlGetsItsUpdatesCommittedAndEvaluatesTheServedModel() throws Exception {
        int grpc = freePort();
        try (RunningNode replica = RunningNode.start(NodeConfigLoader.parse(replicaYaml(freePort(), grpc)))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> replica.status().leader().equals("r1"));
            String client = """
                    id: c0
                    role: client
                    http: "127.0.0.1:0"
                    dataDir: "%s"
                    task: {id: mnist, model: logreg, mode: async}
                    train: {maxSteps: 20}
                    client:
                      replicas:
                        - {id: r1, address: "127.0.0.1:%d"}
                    data: {clients: 4, index: 0}
                    """.formatted(dir.resolve("c0"), grpc);
            try (RunningNode c = RunningNode.start(NodeConfigLoader.parse(client))) {
                assertThat(c).isInstanceOf(GroupClientNode.class);
                await().atMost(Duration.ofSeconds(90)).until(() -> c.status().acknowledgedUpdates() >= 2
                        && c.status().evaluatedVersion() >= 2);
                NodeStatus s = c.status();
                assertThat(s.role()).isEqualTo("client");
                assertThat(s.members()).containsExactly("r1");
                assertThat(s.accuracy()).isGreaterThan(0.5);
                assertThat(s.bytesUp()).isPositive();
                assertThat(s.bytesDown()).isPositive();
                assertThat(replica.status().acceptedUpdates()).isGreaterThanOrEqualTo(2);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + c.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                // A lone replica is the leader and the client has no peers: every model came from it.
                assertThat(metrics).containsPattern("starling_model_bytes_received\\{source=\"leader\"\\} [1-9]")
                        .contains("starling_model_bytes_received{source=\"peer\"} 0.0",
                                "starling_model_bytes_received{source=\"follower\"} 0.0");
                assertThat(io.starling.net.transport.HttpAddressAdvertiser.lookup(c.address(), Duration.ofSeconds(10)))
                        .as("the client's gRPC server names its HTTP address").contains("127.0.0.1:" + c.httpPort());
            }
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
