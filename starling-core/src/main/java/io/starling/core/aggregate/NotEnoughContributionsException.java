package io.starling.core.aggregate;

import io.starling.core.StarlingException;

/**
 * A robust rule was given too few contributions for the number of adversaries it must tolerate
 * (e.g. Krum needs {@code n >= 2f + 3}); its guarantee would not hold, so it refuses.
 */
public final class NotEnoughContributionsException extends StarlingException {
    private final int required;
    private final int actual;

    public NotEnoughContributionsException(String rule, int required, int actual, String why) {
        super(rule + " needs at least " + required + " contributions but got " + actual + " (" + why
                + "); wait for more updates or lower f");
        this.required = required;
        this.actual = actual;
    }

    public int required() {
        return required;
    }

    public int actual() {
        return actual;
    }
}
