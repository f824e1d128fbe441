package io.starling.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.raft.harness.ReplicaProcessMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, in process: three replica JVMs with real Ratis gRPC between them, three
 * client threads, the leader SIGKILLed once mid-run and restarted.
 */
class DemoRunTest {
    @TempDir
    Path out;

    @Test
    @Timeout(300)
    void threeLeaderKillsWithRestartsLoseNoAcknowledgedUpdateReachTheTargetAccuracyAndWriteTheReport() throws Exception {
        DemoSettings settings = new DemoSettings(3, 3, 32, 3, true, 2_000, 11, "mlp:64", "dirichlet:0.5", out);
        StringWriter story = new StringWriter();

        DemoSummary summary;
        try {
            summary = new DemoRun(settings, new Narrator(new PrintWriter(story), System.nanoTime())).run();
        } finally {
            System.out.print(story);
        }

        assertThat(replicaProcessesStillAlive()).as("replica processes left running").isEmpty();
        JsonNode json = new ObjectMapper().readTree(out.resolve(DemoReport.SUMMARY_JSON).toFile());
        assertThat(json.path("leader_changes").asInt()).as(story.toString()).isGreaterThanOrEqualTo(3);
        assertThat(json.path("failover_ms")).hasSize(3);
        for (JsonNode failover : json.path("failovers")) {
            assertThat(failover.path("failover_ms").asDouble()).isPositive();
            assertThat(failover.path("new_leader").asText()).isNotEqualTo(failover.path("killed").asText());
            assertThat(failover.path("restarted").asBoolean()).isTrue();
        }
        assertThat(json.path("lost_acknowledged_updates").asInt()).isZero();
        assertThat(json.path("acknowledged_updates").asInt()).isPositive();
        assertThat(json.path("replicas_agree").asBoolean()).isTrue();
        assertThat(json.path("history_ok").asBoolean()).as("%s", summary.historyViolations()).isTrue();
        // The bar for training through three leader kills.
        assertThat(json.path("final_accuracy").asDouble()).as(story.toString()).isGreaterThanOrEqualTo(0.88);
        assertThat(json.path("versions").asInt()).isGreaterThan(2);
        for (String file : List.of(DemoReport.REPORT_HTML, DemoReport.ACCURACY_CSV, DemoReport.EVENTS_CSV)) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve(DemoReport.REPORT_HTML))).contains("<svg", "kill ");
        assertThat(story.toString()).contains("KILL -9", "elected leader", "failover took", "final test accuracy");
    }

    private static List<ProcessHandle> replicaProcessesStillAlive() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(ReplicaProcessMain.class.getName()))
                .toList();
    }
}
