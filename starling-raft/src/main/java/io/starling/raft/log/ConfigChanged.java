package io.starling.raft.log;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A change to the replicated aggregator's settings (for example {@code rotation.termMs}),
 * applied by every replica at the same log position so that all of them switch together.
 * Membership itself is Ratis' own configuration entry; this entry carries Starling settings.
 *
 * @param settings keys to set, sorted; a key mapped to the empty string is removed
 */
public record ConfigChanged(SortedMap<String, String> settings) implements LogEntry {
    /** Upper bound on the number of settings in one entry. */
    public static final int MAX_SETTINGS = 256;
    /** Upper bound on a key's or value's length in chars. */
    public static final int MAX_CHARS = 1024;

    public ConfigChanged {
        if (settings.isEmpty() || settings.size() > MAX_SETTINGS) {
            throw new IllegalArgumentException("a config change sets 1.." + MAX_SETTINGS + " settings, got "
                    + settings.size());
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isEmpty() || k.length() > MAX_CHARS || v == null || v.length() > MAX_CHARS) {
                throw new IllegalArgumentException("setting keys need 1.." + MAX_CHARS
                        + " chars and values 0.." + MAX_CHARS + " chars (key '" + k + "')");
            }
            copy.put(k, v);
        }
        settings = Collections.unmodifiableSortedMap(copy);
    }

    public static ConfigChanged of(Map<String, String> settings) {
        return new ConfigChanged(new TreeMap<>(settings));
    }
}
