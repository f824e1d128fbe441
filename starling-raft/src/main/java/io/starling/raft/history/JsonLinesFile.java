package io.starling.raft.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only file of JSON records, one a line, flushed per record so that the file of a
 * process killed with SIGKILL stays usable: at most its last line is half written, and
 * {@link #read} skips exactly that. Histories and replica timelines are written this way.
 *
 * @param <T> the record type (a Jackson-mappable record)
 */
public final class JsonLinesFile<T> implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String what;
    private final Path file;
    private final BufferedWriter out;

    private JsonLinesFile(String what, Path file, BufferedWriter out) {
        this.what = what;
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file} for appending, creating it and its directory if needed.
     *
     * @param what what the file holds, for error messages ("history", "timeline")
     */
    public static <T> JsonLinesFile<T> append(String what, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            return new JsonLinesFile<>(what, file,
                    Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + what + " file " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends {@code record} as one line and flushes it. */
    public synchronized void write(T record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + what + " file " + file, e);
        }
    }

    /**
     * Reads and concatenates {@code files}, each in its own order. A half-written last line of a
     * file is skipped; any other line that is not a {@code type} fails, naming file and line.
     */
    public static <T> List<T> read(String what, List<Path> files, Class<T> type) {
        List<T> all = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + what + " file " + f, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    all.add(JSON.readValue(lines.get(i), type));
                } catch (IOException e) {
                    if (i != lines.size() - 1) {
                        throw new UncheckedIOException(what + " file " + f + " line " + (i + 1) + " is not an event", e);
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
            throw new UncheckedIOException("cannot close " + what + " file " + file, e);
        }
    }
}
