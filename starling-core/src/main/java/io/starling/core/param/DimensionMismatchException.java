package io.starling.core.param;

import io.starling.core.StarlingException;

/** Two parameter vectors (or a vector and a model) disagree on their number of parameters. */
public final class DimensionMismatchException extends StarlingException {
    private final int expected;
    private final int actual;

    public DimensionMismatchException(String what, int expected, int actual) {
        super(what + ": expected " + expected + " parameters but got " + actual
                + " (is it a model of another task or architecture?)");
        this.expected = expected;
        this.actual = actual;
    }

    public int expected() {
        return expected;
    }

    public int actual() {
        return actual;
    }
}
