package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.harness.ReplicaProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code starling cluster ... --token-file} against a replica process started with
 * {@code --admin-token-file}: changes need the token, reads do not. One replica process serves
 * every test (a leadership transfer to itself changes nothing).
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTokenFileTest {
    private static final String TOKEN = "3f9c2a7be1d04c58a6f1e2d3c4b5a697";

    private ReplicaProcesses replicas;
    private Path tmp;
    private Path tokenFile;

    @BeforeAll
    void startAReplicaWithAnAdminToken(@TempDir Path dir) throws Exception {
        tmp = dir;
        tokenFile = Files.writeString(tmp.resolve("admin.token"), TOKEN + "\n");
        replicas = new ReplicaProcesses(tmp.resolve("replicas"), 1, 4,
                List.of("--election-ms", "400:800", "--admin-token-file", tokenFile.toString()));
        replicas.startAll(60_000);
        replicas.awaitLeader(30_000, 50).orElseThrow();
    }

    @AfterAll
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void aChangeWithoutTheTokenFileIsRefusedAsUnauthenticated() {
        CliRun run = CliRun.of("cluster", "transfer", "--target", replicas.grpcAddress("r0"), "--id", "r0");

        assertThat(run.exitCode()).as(run.out()).isNotZero();
        assertThat(run.err()).contains("UNAUTHENTICATED").contains("--token-file");
    }

    @Test
    void aChangeWithAnotherTokenIsRefusedAsPermissionDenied() throws Exception {
        Path other = Files.writeString(tmp.resolve("other.token"), "0000000000000000" + "1111111111111111");

        CliRun run = CliRun.of("cluster", "transfer", "--target", replicas.grpcAddress("r0"), "--id", "r0",
                "--token-file", other.toString());

        assertThat(run.exitCode()).as(run.out()).isNotZero();
        assertThat(run.err()).contains("PERMISSION_DENIED");
    }

    @Test
    void aChangeWithTheTokenFileIsMadeAndReadsNeedNone() {
        CliRun change = CliRun.of("cluster", "transfer", "--target", replicas.grpcAddress("r0"), "--id", "r0",
                "--token-file", tokenFile.toString());
        CliRun read = CliRun.of("cluster", "members", "--target", replicas.grpcAddress("r0"));

        assertThat(change.exitCode()).as(change.err()).isZero();
        assertThat(read.exitCode()).as(read.err()).isZero();
        assertThat(read.out()).contains("replica   r0 (LEADER, serving)");
    }
}
