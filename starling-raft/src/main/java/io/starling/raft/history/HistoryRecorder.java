package io.starling.raft.history;

import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends {@link HistoryEvent}s as JSON lines to a file (flushed per event, so a history
 * survives the kill of the process that wrote it) and keeps them in memory. Thread-safe. Several
 * processes write several files; {@link #read} merges them.
 */
public final class HistoryRecorder implements AutoCloseable {
    private final JsonLinesFile<HistoryEvent> out;
    private final List<HistoryEvent> events = new ArrayList<>();
    private long seq;

    private HistoryRecorder(Path file) {
        this.out = JsonLinesFile.append("history", file);
    }

    public static HistoryRecorder open(Path file) {
        return new HistoryRecorder(file);
    }

    public Path file() {
        return out.file();
    }

    public void submit(String client, String updateId, String target) {
        record(HistoryEvent.client(HistoryEvent.Type.SUBMIT, client, updateId, target, -1));
    }

    public void resend(String client, String updateId, String target) {
        record(HistoryEvent.client(HistoryEvent.Type.RESEND, client, updateId, target, -1));
    }

    public void ack(String client, String updateId, long version) {
        record(HistoryEvent.client(HistoryEvent.Type.ACK, client, updateId, null, version));
    }

    public void commit(String replica, CheckpointCommitted checkpoint) {
        record(HistoryEvent.replica(HistoryEvent.Type.COMMIT, replica, List.of(HistoryEvent.Checkpoint.of(checkpoint))));
    }

    public void restore(String replica, List<CheckpointCommitted> chain) {
        record(HistoryEvent.replica(HistoryEvent.Type.RESTORE, replica,
                chain.stream().map(HistoryEvent.Checkpoint::of).toList()));
    }

    public void finalChain(String replica, List<CheckpointCommitted> chain) {
        record(HistoryEvent.replica(HistoryEvent.Type.FINAL, replica,
                chain.stream().map(HistoryEvent.Checkpoint::of).toList()));
    }

    private synchronized void record(HistoryEvent event) {
        HistoryEvent stamped = event.stamped(seq++, System.currentTimeMillis());
        events.add(stamped);
        out.write(stamped);
    }

    /** Events recorded by this recorder so far, in order. */
    public synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    /**
     * Reads and concatenates history files (each in its own order). A process killed by SIGKILL
     * may leave its last line half written; that one line is skipped, any other bad line fails.
     */
    public static List<HistoryEvent> read(List<Path> files) {
        return JsonLinesFile.read("history", files, HistoryEvent.class);
    }

    @Override
    public void close() {
        out.close();
    }
}
