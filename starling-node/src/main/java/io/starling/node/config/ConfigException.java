package io.starling.node.config;

import io.starling.core.StarlingException;

/** A node configuration that cannot run: names the key (or file) and what is expected. */
public final class ConfigException extends StarlingException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
