package io.starling.core.data;

import io.starling.core.StarlingException;

/**
 * An example offered to a growing dataset is malformed: wrong number of features, a NaN or
 * infinite feature, or a label outside the dataset's classes. Live sensor rows are untrusted
 * input, so they are checked before they are stored.
 */
public final class InvalidExampleException extends StarlingException {
    public InvalidExampleException(String message) {
        super(message);
    }
}
