package io.starling.raft.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.raft.log.CheckpointCommitted;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends {@link HistoryEvent}s as JSON lines to a file (flushed per event, so a history
 * survives the kill of the process that wrote it) and keeps them in memory. Thread-safe. Several
 * processes write several files; {@link #read} merges them.
 */
public final class HistoryRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private final List<HistoryEvent> events = new ArrayList<>();
    private long seq;

    private HistoryRecorder(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static HistoryRecorder open(Path file) {
        try {
            return new HistoryRecorder(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history file " + file, e);
        }
    }

    public Path file() {
        return file;
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
        try {
            out.write(JSON.writeValueAsString(stamped));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to history file " + file, e);
        }
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
        List<HistoryEvent> all = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read history file " + f, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    all.add(JSON.readValue(line, HistoryEvent.class));
                } catch (IOException e) {
                    if (i != lines.size() - 1) {
                        throw new UncheckedIOException("history file " + f + " line " + (i + 1) + " is not an event", e);
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
            throw new UncheckedIOException("cannot close history file " + file, e);
        }
    }
}
