package io.starling.cli.demo;

import io.starling.core.StarlingException;

/** The demo could not run to the end (a replica did not start, no leader was elected, ...). */
public final class DemoFailedException extends StarlingException {
    public DemoFailedException(String message) {
        super(message);
    }

    public DemoFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
