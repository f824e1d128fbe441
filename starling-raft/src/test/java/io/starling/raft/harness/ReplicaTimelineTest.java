package io.starling.raft.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.raft.state.CheckpointTiming;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTimelineTest {
    @TempDir
    Path tmp;

    @Test
    void eventsReadBackInOrderWithTheirTimings() {
        Path file = tmp.resolve("timeline-r0-1.jsonl");
        try (ReplicaTimeline timeline = ReplicaTimeline.open("r0", file)) {
            timeline.onLeaderChanged("r0");
            timeline.onLeaderReady();
            timeline.onCheckpointTiming(new CheckpointTiming(7, 100, 110, 150, 170));
        }

        List<ReplicaTimeline.Event> events = ReplicaTimeline.read(List.of(file));

        assertThat(events).extracting(ReplicaTimeline.Event::kind).containsExactly(ReplicaTimeline.Kind.LEADER_CHANGED,
                ReplicaTimeline.Kind.LEADER_READY, ReplicaTimeline.Kind.CHECKPOINT_TIMING);
        assertThat(events.getFirst().leader()).isEqualTo("r0");
        assertThat(events.getLast().timing()).isEqualTo(new CheckpointTiming(7, 100, 110, 150, 170));
        assertThat(events.getLast().atMs()).isEqualTo(170);
    }

    @Test
    void aHalfWrittenLastLineOfAKilledWriterIsSkipped() throws Exception {
        Path file = tmp.resolve("timeline-r1-2.jsonl");
        try (ReplicaTimeline timeline = ReplicaTimeline.open("r1", file)) {
            timeline.onLeaderReady();
        }
        Files.writeString(file, "{\"atMs\":12,\"repl", StandardOpenOption.APPEND);

        assertThat(ReplicaTimeline.read(List.of(file))).hasSize(1);
    }

    @Test
    void aBadLineBeforeTheLastIsAnError() throws Exception {
        Path file = tmp.resolve("timeline-r2-3.jsonl");
        Files.writeString(file, "not json\n{\"atMs\":1,\"replica\":\"r2\",\"kind\":\"LEADER_READY\"}\n");

        assertThatThrownBy(() -> ReplicaTimeline.read(List.of(file))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void stepsOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new CheckpointTiming(3, 200, 100, 300, 400))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
    }
}
