package io.starling.core;

/**
 * Root of Starling's typed errors. Every subclass says what was wrong and, where it helps, what
 * to do about it, so the CLI can print the message as one line without a stack trace.
 */
public class StarlingException extends RuntimeException {
    public StarlingException(String message) {
        super(message);
    }

    public StarlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
