package io.starling.raft.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.state.ApplyOutcome;
import io.starling.raft.state.CheckpointTiming;
import io.starling.raft.state.ReplicaEvents;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica process's leadership and checkpoint events as timestamped JSON lines (flushed per
 * line, so the file of a SIGKILLed process is usable), for the failover benchmark's breakdown of
 * where the time between a kill and the next commit goes. Times come from
 * {@link CheckpointTiming#nowMs()}, comparable across the processes of one host.
 */
public final class ReplicaTimeline implements ReplicaEvents, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of a timeline file. */
    public record Event(long atMs, String replica, Kind kind, String leader, long version, String proposer,
                        CheckpointTiming timing) {
    }

    /** What happened. */
    public enum Kind { LEADER_CHANGED, LEADER_READY, APPLIED, CHECKPOINT_TIMING }

    private final String replica;
    private final Path file;
    private final BufferedWriter out;

    private ReplicaTimeline(String replica, Path file) throws IOException {
        this.replica = replica;
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static ReplicaTimeline open(String replica, Path file) {
        try {
            return new ReplicaTimeline(replica, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open timeline file " + file, e);
        }
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

    private synchronized void write(Event event) {
        try {
            out.write(JSON.writeValueAsString(event));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to timeline file " + file, e);
        }
    }

    /** Reads timeline files; a half-written last line (the writer was killed) is skipped. */
    public static List<Event> read(List<Path> files) {
        List<Event> all = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read timeline file " + f, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    all.add(JSON.readValue(lines.get(i), Event.class));
                } catch (IOException e) {
                    if (i != lines.size() - 1) {
                        throw new UncheckedIOException("timeline file " + f + " line " + (i + 1) + " is not an event", e);
                    }
                }
            }
        }
        return all;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close timeline file " + file, e);
        }
    }
}
