package io.starling.core.data;

import io.starling.core.StarlingException;

/**
 * A data file or directory could not be read at all: it does not exist, is not readable, or the
 * operating system reported an I/O error. Distinct from {@link DatasetFormatException}, which
 * means the bytes were read but are wrong.
 */
public final class DatasetIoException extends StarlingException {
    public DatasetIoException(String message) {
        super(message);
    }

    public DatasetIoException(String message, Throwable cause) {
        super(message, cause);
    }
}
