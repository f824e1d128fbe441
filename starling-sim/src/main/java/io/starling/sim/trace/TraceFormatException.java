package io.starling.sim.trace;

import io.starling.core.StarlingException;

/** A trace file is missing, unreadable or holds values that make no sense; the message names file and entry. */
public final class TraceFormatException extends StarlingException {
    public TraceFormatException(String message) {
        super(message);
    }

    public TraceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
