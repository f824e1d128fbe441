package io.starling.protocol;

import io.starling.core.StarlingException;

/**
 * A protocol configuration value is out of range. Names the field, the rejected value and what is
 * expected, so a YAML loader or the CLI can point the user at the exact key to fix.
 */
public final class InvalidConfigException extends StarlingException {
    private final String field;

    public InvalidConfigException(String field, Object value, String expected) {
        super("invalid protocol config: " + field + " = " + value + "; expected " + expected);
        this.field = field;
    }

    /** The offending field, e.g. {@code clientFraction}. */
    public String field() {
        return field;
    }

    /** Throws unless {@code condition} holds. */
    public static void require(boolean condition, String field, Object value, String expected) {
        if (!condition) {
            throw new InvalidConfigException(field, value, expected);
        }
    }
}
