package io.starling.djl;

import io.starling.core.StarlingException;

/**
 * DJL's PyTorch engine could not start: the native jars are missing from the class path, the
 * platform is not linux-x86_64, or the engine cache directory is not writable. The message says
 * which and what to do; the built-in engine (specs without {@code djl:}) still works.
 */
public final class DjlEngineUnavailableException extends StarlingException {
    public DjlEngineUnavailableException(String message) {
        super(message);
    }

    public DjlEngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
