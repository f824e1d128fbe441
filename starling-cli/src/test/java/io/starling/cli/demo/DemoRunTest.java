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
 * The demo end to end, in process: three replica JVMs with real Ratis gRPC between them and three
 * hybrid clients (each with its own gRPC server on 127.0.0.1); every replica SIGKILLed for
 * {@value #OUTAGE_S} s early in training while the clients gossip, and restarted; then the leader
 * SIGKILLed three times and restarted each time.
 */
class DemoRunTest {
    private static final int OUTAGE_S = 10;
    private static final long FALLBACK_TIMEOUT_MS = 5_000;
    /**
     * Allowed lateness of a switch beyond the fallback timeout: a client in the middle of a local
     * training sends its update (and arms the timeout) only when the training ends, and the
     * machine is shared with three replica JVMs and other builds. (A client can also switch sooner
     * than the timeout after the kill: its timeout runs from the last update it sent before.)
     */
    private static final long SWITCH_SLACK_MS = 6_000;
    /** How far below the best gossip model the checkpoint that merged the last hand-back may be. */
    private static final double MERGE_TOLERANCE = 0.03;

    @TempDir
    Path out;

    @Test
    @Timeout(420)
    void threeLeaderKillsAndAnOutageOfEveryReplicaLoseNoAcknowledgedUpdateAndTheGossipModelsAreMergedBack()
            throws Exception {
        DemoSettings settings = new DemoSettings(3, 3, 32, 3, OUTAGE_S, FALLBACK_TIMEOUT_MS, true, 2_000, 11, "mlp:64",
                "dirichlet:0.5", out);
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

        JsonNode outage = json.path("outage");
        assertThat(outage.path("clients_switched").asInt()).as("clients that gossiped; %s", outage).isEqualTo(3);
        for (JsonNode switchMs : outage.path("switch_ms")) {
            assertThat(switchMs.asLong()).as("switch after the replicas died; %s", outage)
                    .isBetween(0L, FALLBACK_TIMEOUT_MS + SWITCH_SLACK_MS);
        }
        assertThat(outage.path("down_s").asDouble()).isGreaterThanOrEqualTo(OUTAGE_S);
        assertThat(outage.path("gossip_accuracy_end").asDouble()).as("gossip accuracy rose during the outage; %s", outage)
                .isGreaterThan(outage.path("gossip_accuracy_start").asDouble());
        assertThat(outage.path("hand_backs").asInt()).as("%s", outage).isGreaterThanOrEqualTo(3);
        assertThat(outage.path("merged_version").asLong()).isGreaterThan(outage.path("version_before").asLong());
        assertThat(outage.path("merged_accuracy").asDouble()).as("merged vs best gossip model; %s", outage)
                .isGreaterThanOrEqualTo(outage.path("best_gossip_accuracy").asDouble() - MERGE_TOLERANCE);
        for (String file : List.of(DemoReport.REPORT_HTML, DemoReport.ACCURACY_CSV, DemoReport.GOSSIP_CSV,
                DemoReport.EVENTS_CSV)) {
            assertThat(out.resolve(file)).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve(DemoReport.REPORT_HTML))).contains("<svg", "kill ");
        assertThat(Files.readString(out.resolve(DemoReport.GOSSIP_CSV)).lines()).hasSizeGreaterThan(3);
        assertThat(story.toString()).contains("KILL -9", "elected leader", "failover took", "final test accuracy",
                "every replica is down", "switched to gossip learning", "gossip: 3 of 3 clients gossiping",
                "handed-back gossip models by doubly weighted averaging");
    }

    private static List<ProcessHandle> replicaProcessesStillAlive() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(ReplicaProcessMain.class.getName()))
                .toList();
    }
}
