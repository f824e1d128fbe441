package io.starling.core.data.partition;

import io.starling.core.StarlingException;

/** A partition request that cannot be met, e.g. more clients than rows. */
public final class PartitionException extends StarlingException {
    public PartitionException(String message) {
        super(message);
    }
}
