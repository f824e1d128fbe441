package io.starling.core.model;

import io.starling.core.StarlingException;

/** A dataset does not fit a model: wrong feature count, too many classes, empty, or non-finite. */
public final class IncompatibleDatasetException extends StarlingException {
    public IncompatibleDatasetException(String message) {
        super(message);
    }
}
