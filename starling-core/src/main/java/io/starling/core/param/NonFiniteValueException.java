package io.starling.core.param;

import io.starling.core.StarlingException;

/** A parameter vector holds NaN or an infinity, which would poison every model it is merged into. */
public final class NonFiniteValueException extends StarlingException {
    private final int index;

    public NonFiniteValueException(String what, int index, float value) {
        super(what + ": parameter " + index + " is " + value
                + " (diverged training? lower the learning rate or clip updates)");
        this.index = index;
    }

    public int index() {
        return index;
    }
}
