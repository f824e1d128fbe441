package io.starling.raft.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCheckerTest {
    @TempDir
    Path dir;

    private static CheckpointCommitted cp(long v, String... ids) {
        return new CheckpointCommitted(v, v - 1, String.format("%064x", v + 1), 4, List.of(ids), "r0", new TreeMap<>());
    }

    private HistoryRecorder recorder() {
        return HistoryRecorder.open(dir.resolve("h.jsonl"));
    }

    @Test
    void aCorrectHistoryPasses() {
        try (HistoryRecorder h = recorder()) {
            h.submit("c0", "u1", "r0");
            h.commit("r0", cp(0));
            h.commit("r1", cp(0));
            h.commit("r0", cp(1, "u1"));
            h.commit("r1", cp(1, "u1"));
            h.ack("c0", "u1", 1);
            h.finalChain("r0", List.of(cp(0), cp(1, "u1")));
            h.finalChain("r1", List.of(cp(0), cp(1, "u1")));

            HistoryChecker.Result r = HistoryChecker.check(h.events());

            assertThat(r.violations()).isEmpty();
            assertThat(r.acks()).isEqualTo(1);
        }
    }

    @Test
    void aGapInAReplicasCommitsIsReportedWithBothEvents() {
        try (HistoryRecorder h = recorder()) {
            h.commit("r0", cp(0));
            h.commit("r0", cp(2));

            assertThatThrownBy(() -> HistoryChecker.check(h.events()).requireValid())
                    .isInstanceOf(HistoryViolationException.class)
                    .hasMessageContaining("gapless-monotonic")
                    .hasMessageContaining("#0 COMMIT r0")
                    .hasMessageContaining("#1 COMMIT r0");
        }
    }

    @Test
    void replicasDisagreeingOnAVersionAreReported() {
        try (HistoryRecorder h = recorder()) {
            h.commit("r0", cp(0));
            h.commit("r1", new CheckpointCommitted(0, -1, "f".repeat(64), 4, List.of(), "r1", new TreeMap<>()));

            assertThat(HistoryChecker.check(h.events()).violations()).extracting(HistoryChecker.Violation::rule)
                    .contains("agreement");
        }
    }

    @Test
    void anUpdateAbsorbedTwiceIsReported() {
        try (HistoryRecorder h = recorder()) {
            h.commit("r0", cp(0));
            h.commit("r0", cp(1, "u1"));
            h.commit("r0", cp(2, "u1"));

            assertThat(HistoryChecker.check(h.events()).violations()).extracting(HistoryChecker.Violation::rule)
                    .contains("exactly-once");
        }
    }

    @Test
    void anAckForAnUpdateNoCheckpointHoldsIsReported() {
        try (HistoryRecorder h = recorder()) {
            h.commit("r0", cp(0));
            h.commit("r0", cp(1, "u1"));
            h.ack("c0", "u2", 1);

            assertThat(HistoryChecker.check(h.events()).violations()).singleElement()
                    .satisfies(v -> {
                        assertThat(v.rule()).isEqualTo("acked-is-committed");
                        assertThat(v.message()).contains("no committed version includes it");
                    });
        }
    }

    @Test
    void differingFinalChainsAreReported() {
        try (HistoryRecorder h = recorder()) {
            h.finalChain("r0", List.of(cp(0), cp(1, "u1")));
            h.finalChain("r1", List.of(cp(0)));

            assertThat(HistoryChecker.check(h.events()).violations()).extracting(HistoryChecker.Violation::rule)
                    .contains("identical-final-chains");
        }
    }

    @Test
    void aReplicaRestoredFromASnapshotContinuesAfterTheRestoredVersion() {
        try (HistoryRecorder h = recorder()) {
            h.commit("r0", cp(0));
            h.commit("r0", cp(1, "a"));
            h.commit("r0", cp(2, "b"));
            h.restore("r1", List.of(cp(0), cp(1, "a")));
            h.commit("r1", cp(2, "b"));

            assertThat(HistoryChecker.check(h.events()).violations()).isEmpty();
        }
    }

    @Test
    void aHistoryFileReadsBackAsTheSameEvents() {
        List<HistoryEvent> written;
        try (HistoryRecorder h = recorder()) {
            h.submit("c0", "u1", "r0");
            h.resend("c0", "u1", "r1");
            h.commit("r1", cp(0, "u1"));
            h.ack("c0", "u1", 0);
            written = h.events();
        }

        assertThat(HistoryRecorder.read(List.of(dir.resolve("h.jsonl")))).isEqualTo(written);
    }
}
