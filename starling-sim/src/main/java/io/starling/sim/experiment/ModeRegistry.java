package io.starling.sim.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The learning modes an experiment config may name. */
public final class ModeRegistry {
    private final Map<String, ModeBinding> modes = new LinkedHashMap<>();

    public ModeRegistry(List<ModeBinding> bindings) {
        for (ModeBinding b : bindings) {
            if (modes.put(b.name(), b) != null) {
                throw new IllegalArgumentException("mode " + b.name() + " registered twice");
            }
        }
    }

    /** Looks up a mode; {@code path} names the config key for the error message. */
    public ModeBinding require(String name, String path) {
        ModeBinding b = modes.get(name);
        if (b == null) {
            throw new ConfigException(path + ": unknown mode '" + name + "'; expected one of: "
                    + String.join(", ", modes.keySet()));
        }
        return b;
    }

    public List<String> names() {
        return List.copyOf(modes.keySet());
    }
}
