package io.starling.core.model;

import io.starling.core.StarlingException;

/** A model spec names a known model but its arguments (or the input/class counts) are invalid. */
public final class InvalidModelSpecException extends StarlingException {
    public InvalidModelSpecException(String spec, String problem) {
        super("invalid model spec '" + spec + "': " + problem);
    }
}
