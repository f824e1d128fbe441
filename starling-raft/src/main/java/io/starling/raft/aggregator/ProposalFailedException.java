package io.starling.raft.aggregator;

import io.starling.core.StarlingException;

/**
 * The leader could not get a checkpoint entry committed: it lost leadership, a majority was
 * unreachable, or the request timed out. The updates stay pending and the attempt is retried
 * (or, after a leader change, the clients resend to the new leader).
 */
public final class ProposalFailedException extends StarlingException {
    public ProposalFailedException(String replicaId, Throwable cause) {
        super("replica " + replicaId + " could not commit a checkpoint: " + cause, cause);
    }
}
