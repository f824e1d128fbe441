package io.starling.sim.experiment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A mode's {@code params} from the config, read through typed getters that remember which keys
 * were used, so {@link #requireAllUsed()} can reject a misspelt key naming its path and the keys
 * the mode knows.
 */
public final class ModeParams {
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    public ModeParams(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values == null ? Map.of() : new TreeMap<>(values);
    }

    public static ModeParams empty() {
        return new ModeParams("params", Map.of());
    }

    public double getDouble(String key, double dflt) {
        known.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw bad(key, v, "a number");
    }

    public double getDouble(String key, double dflt, double min, double max) {
        double d = getDouble(key, dflt);
        if (d < min || d > max) {
            throw new ConfigException(path + "." + key + ": " + d + " is out of range; expected a number in ["
                    + min + ", " + max + "]");
        }
        return d;
    }

    public long getLong(String key, long dflt, long min, long max) {
        known.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            long l = n.longValue();
            if (l < min || l > max) {
                throw new ConfigException(path + "." + key + ": " + l + " is out of range; expected an integer in ["
                        + min + ", " + max + "]");
            }
            return l;
        }
        throw bad(key, v, "an integer");
    }

    public int getInt(String key, int dflt, int min, int max) {
        return (int) getLong(key, dflt, min, max);
    }

    public String getString(String key, String dflt) {
        known.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        throw bad(key, v, "a string");
    }

    public boolean getBoolean(String key, boolean dflt) {
        known.add(key);
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, v, "true or false");
    }

    /** Throws naming every key that no getter asked for. */
    public void requireAllUsed() {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(path + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(k -> "'" + k + "'").toList())
                    + "; expected one of: " + String.join(", ", known));
        }
    }

    public String path() {
        return path;
    }

    private ConfigException bad(String key, Object v, String expected) {
        return new ConfigException(path + "." + key + ": bad value '" + v + "'; expected " + expected);
    }
}
