package io.starling.node.fallback;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Committed-model bytes and fetches a group client received, by {@link RelaySource}; thread-safe. */
public final class RelayCounters {
    private final Map<RelaySource, AtomicLong> bytes = new EnumMap<>(RelaySource.class);
    private final Map<RelaySource, AtomicLong> fetches = new EnumMap<>(RelaySource.class);

    public RelayCounters() {
        for (RelaySource s : RelaySource.values()) {
            bytes.put(s, new AtomicLong());
            fetches.put(s, new AtomicLong());
        }
    }

    void record(RelaySource source, long receivedBytes) {
        bytes.get(source).addAndGet(receivedBytes);
        fetches.get(source).incrementAndGet();
    }

    /** Model bytes received from {@code source}. */
    public long bytes(RelaySource source) {
        return bytes.get(source).get();
    }

    /** Models fetched (completely, verified) from {@code source}. */
    public long fetches(RelaySource source) {
        return fetches.get(source).get();
    }

    /** Model bytes received from every source. */
    public long totalBytes() {
        return bytes.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (RelaySource s : RelaySource.values()) {
            out.append(out.isEmpty() ? "" : ", ").append(s.tag()).append(' ').append(bytes(s)).append(" B/")
                    .append(fetches(s));
        }
        return out.toString();
    }
}
