package io.starling.core.compress;

import io.starling.core.StarlingException;

/** Bytes that are not a valid encoding of a model under the stated codec and dimension. */
public final class MalformedEncodingException extends StarlingException {
    public MalformedEncodingException(String message) {
        super(message);
    }
}
