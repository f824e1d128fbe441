package io.starling.core.aggregate;

import io.starling.core.StarlingException;

/** An aggregation rule spec such as {@code krum:f=x} could not be parsed; names the bad token. */
public final class AggregationSpecException extends StarlingException {
    private final String spec;
    private final String token;
    private final String reason;

    public AggregationSpecException(String spec, String token, String reason) {
        super("aggregation rule '" + spec + "': bad token '" + token + "': " + reason);
        this.spec = spec;
        this.token = token;
        this.reason = reason;
    }

    /** What was wrong with the token, without the spec and token. */
    public String reason() {
        return reason;
    }

    /** The whole spec string. */
    public String spec() {
        return spec;
    }

    /** The part of the spec that was wrong. */
    public String token() {
        return token;
    }
}
