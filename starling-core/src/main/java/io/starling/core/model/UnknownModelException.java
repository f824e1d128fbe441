package io.starling.core.model;

import io.starling.core.StarlingException;
import java.util.List;

/** A model spec names no model the factory knows. */
public final class UnknownModelException extends StarlingException {
    private final String name;
    private final List<String> known;

    public UnknownModelException(String name, List<String> known) {
        super("unknown model '" + name + "'; known models: " + String.join(", ", known));
        this.name = name;
        this.known = List.copyOf(known);
    }

    public String name() {
        return name;
    }

    /** The specs the factory understands, with their argument syntax. */
    public List<String> known() {
        return known;
    }
}
