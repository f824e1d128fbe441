package io.starling.cli.demo;

import io.starling.core.StarlingException;

/** A {@code starling demo} option is out of range; the message names the option and what is allowed. */
public final class DemoSettingsException extends StarlingException {
    public DemoSettingsException(String message) {
        super(message);
    }
}
