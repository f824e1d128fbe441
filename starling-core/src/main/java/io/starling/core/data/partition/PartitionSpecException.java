package io.starling.core.data.partition;

import io.starling.core.StarlingException;

/** A partitioner spec string that {@link Partitioners#parse} does not understand. */
public final class PartitionSpecException extends StarlingException {
    private final String token;

    public PartitionSpecException(String spec, String token, String problem) {
        super("partitioner '" + spec + "': " + problem + " (at '" + token + "'; expected one of "
                + Partitioners.FORMS + ")");
        this.token = token;
    }

    /** The part of the spec that was wrong. */
    public String token() {
        return token;
    }
}
