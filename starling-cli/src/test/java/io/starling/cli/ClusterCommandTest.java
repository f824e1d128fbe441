package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.harness.ReplicaProcesses;
import io.starling.raft.harness.ReplicaStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code starling cluster} against replica processes on 127.0.0.1. */
class ClusterCommandTest {
    private static final int DIM = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ReplicaProcesses replicas;

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
    }

    private static ClientUpdate update(int round) {
        float[] w = new float[DIM];
        Arrays.fill(w, round);
        return new ClientUpdate("c0/" + round, "c0", 0, ParamVector.wrap(w), 5, 0.1);
    }

    private static List<String> memberIds(JsonNode view) {
        List<String> ids = new ArrayList<>();
        view.path("members").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    @Test
    @Timeout(240)
    void aFourthReplicaAddedAtRunTimeCatchesUpThenLeadsAfterATransferAndAnotherIsRemoved() throws Exception {
        replicas = new ReplicaProcesses(tmp, 3, DIM, List.of("--election-ms", "400:800", "--updates-per-checkpoint", "1"));
        replicas.startAll(60_000);
        String leader = replicas.awaitLeader(30_000, 50).orElseThrow();
        String follower = replicas.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        AggregatorClient client = new AggregatorClient("c0", replicas.endpoints(), 5_000, 100, null,
                System::currentTimeMillis);
        for (int round = 0; round < 3; round++) {
            client.submitUntilAcked(update(round), 30_000);
        }

        replicas.startJoining("r3", 60_000);
        CliRun added = CliRun.of("cluster", "add", "--target", replicas.grpcAddress(follower), "--id", "r3",
                "--raft-address", replicas.raftAddress("r3"), "--grpc-address", replicas.grpcAddress("r3"), "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        JsonNode afterAdd = JSON.readTree(added.out());
        assertThat(afterAdd.path("replica").asText()).as("the follower redirected the change to the leader")
                .isEqualTo(leader);
        assertThat(memberIds(afterAdd)).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");

        client.putEndpoint(replicas.endpoint("r3"));
        for (int round = 3; round < 6; round++) {
            client.submitUntilAcked(update(round), 30_000);
        }
        long latest = replicas.latestVersion(leader);
        Awaitility.await("r3 holds the latest checkpoint").atMost(Duration.ofSeconds(30)).until(() -> replicas
                .status("r3").filter(s -> s.latestVersion() >= latest && s.holdsLatestBlob()).isPresent());
        assertThat(replicas.chain("r3")).isEqualTo(replicas.chain(leader).subList(0, replicas.chain("r3").size()));

        CliRun transferred = CliRun.of("cluster", "transfer", "--target", replicas.grpcAddress(follower), "--id", "r3");
        assertThat(transferred.exitCode()).as(transferred.err()).isZero();
        Awaitility.await("r3 serves as leader").atMost(Duration.ofSeconds(30))
                .until(() -> replicas.status("r3").map(ReplicaStatus::isLeader).orElse(false));
        long beforeR3Commits = replicas.latestVersion("r3");
        client.submitUntilAcked(update(6), 30_000);
        assertThat(replicas.chain("r3").getLast().version()).isGreaterThan(beforeR3Commits);
        assertThat(replicas.chain("r3").getLast().proposer()).isEqualTo("r3");

        CliRun removed = CliRun.of("cluster", "remove", "--target", replicas.grpcAddress(leader), "--id", leader,
                "--json");
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(memberIds(JSON.readTree(removed.out()))).doesNotContain(leader).contains("r3");
        CliRun members = CliRun.of("cluster", "members", "--target", replicas.grpcAddress("r3"));
        assertThat(members.exitCode()).isZero();
        assertThat(members.out()).contains("replica   r3 (LEADER, serving)").contains("members   3 voters, 0 listeners")
                .doesNotContain("  " + leader + " ");
    }

    @Test
    void aTargetWhereNothingListensFailsWithAMessageSayingSo() {
        int port = io.starling.raft.aggregator.PeerAddress.loopback("probe").raftPort();

        CliRun run = CliRun.of("cluster", "members", "--target", "127.0.0.1:" + port, "--timeout-ms", "2000");

        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).contains("no replica answers at 127.0.0.1:" + port);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("members", "add", "remove", "transfer")) {
            CliRun run = CliRun.of("cluster", sub, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("--target");
        }
    }
}
