package io.starling.sim.experiment;

import io.starling.core.StarlingException;

/**
 * An experiment config is unusable: an unknown key, a bad value or a missing file. Raised before
 * the run starts; the message names the key (as a dotted path) or the file, and what is expected.
 */
public final class ConfigException extends StarlingException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
