package io.starling.raft.harness;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.history.JsonLinesFile;
import io.starling.raft.state.ApplyOutcome;
import io.starling.raft.state.CheckpointTiming;
import io.starling.raft.state.ReplicaEvents;
import java.nio.file.Path;
import java.util.List;

/**
 * A replica process's leadership and checkpoint events as timestamped JSON lines (flushed per
 * line, so the file of a SIGKILLed process is usable), for the failover benchmark's breakdown of
 * where the time between a kill and the next commit goes. Times come from
 * {@link CheckpointTiming#nowMs()}, comparable across the processes of one host.
 */
public final class ReplicaTimeline implements ReplicaEvents, AutoCloseable {
    /** One line of a timeline file. */
    public record Event(long atMs, String replica, Kind kind, String leader, long version, String proposer,
                        CheckpointTiming timing) {
    }

    /** What happened. */
    public enum Kind { LEADER_CHANGED, LEADER_READY, APPLIED, CHECKPOINT_TIMING }

    private final String replica;
    private final JsonLinesFile<Event> out;

    private ReplicaTimeline(String replica, Path file) {
        this.replica = replica;
        this.out = JsonLinesFile.append("timeline", file);
    }

    public static ReplicaTimeline open(String replica, Path file) {
        return new ReplicaTimeline(replica, file);
    }

    @Override
    public void onLeaderChanged(String leaderId) {
        write(new Event(CheckpointTiming.nowMs(), replica, Kind.LEADER_CHANGED, leaderId, -1, null, null));
    }

    @Override
    public void onLeaderReady() {
        write(new Event(CheckpointTiming.nowMs(), replica, Kind.LEADER_READY, replica, -1, null, null));
    }

    @Override
    public void onApplied(LogEntry entry, ApplyOutcome outcome, long logIndex) {
        if (entry instanceof CheckpointCommitted c && outcome instanceof ApplyOutcome.Applied) {
            write(new Event(CheckpointTiming.nowMs(), replica, Kind.APPLIED, null, c.version(), c.proposer(), null));
        }
    }

    @Override
    public void onCheckpointTiming(CheckpointTiming timing) {
        write(new Event(timing.appliedAtMs(), replica, Kind.CHECKPOINT_TIMING, replica, timing.version(), replica, timing));
    }

    private void write(Event event) {
        out.write(event);
    }

    /** Reads timeline files; a half-written last line (the writer was killed) is skipped. */
    public static List<Event> read(List<Path> files) {
        return JsonLinesFile.read("timeline", files, Event.class);
    }

    @Override
    public void close() {
        out.close();
    }
}
