package io.starling.core.model;

import java.util.Locale;

/**
 * Which update rule a training call uses; part of {@link TrainConfig} so configs, task
 * descriptors and the CLI choose it by name ({@code sgd} or {@code adam}).
 */
public enum OptimizerKind {
    /** Minibatch SGD with heavy-ball momentum ({@link TrainConfig#momentum()}) and L2 decay. */
    SGD("sgd"),
    /** Adam (β1 0.9, β2 0.999, ε 1e-8) with L2 decay; ignores {@link TrainConfig#momentum()}. */
    ADAM("adam");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    /** The name used in configs and on the command line. */
    public String id() {
        return id;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values if {@code name} is neither
     */
    public static OptimizerKind parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (OptimizerKind k : values()) {
            if (k.id.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd or adam");
    }
}
