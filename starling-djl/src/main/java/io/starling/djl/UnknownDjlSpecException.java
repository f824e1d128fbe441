package io.starling.djl;

import io.starling.core.StarlingException;

/** A {@code djl:} model spec names no network the DJL engine builds, or does not fit the data. */
public final class UnknownDjlSpecException extends StarlingException {
    public UnknownDjlSpecException(String message) {
        super(message);
    }
}
