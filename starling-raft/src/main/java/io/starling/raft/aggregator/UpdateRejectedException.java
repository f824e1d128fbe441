package io.starling.raft.aggregator;

import io.starling.core.StarlingException;

/**
 * An update that can never be aggregated (wrong dimension, NaN weights): resending will not help,
 * the client must fix its model.
 */
public final class UpdateRejectedException extends StarlingException {
    public UpdateRejectedException(String updateId, String why) {
        super("update '" + updateId + "' rejected: " + why);
    }
}
