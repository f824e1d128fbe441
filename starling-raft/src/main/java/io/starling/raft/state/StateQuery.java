package io.starling.raft.state;

import io.starling.raft.log.CheckpointCommitted;

/**
 * Read-only questions a client may ask any replica through Ratis' query path. Followers answer
 * from their applied state; ask the leader (a linearizable read) when freshness matters.
 */
public sealed interface StateQuery {
    /** The latest committed checkpoint. */
    record Latest() implements StateQuery {
    }

    /** Which version absorbed an update, if any: the idempotent acknowledgement. */
    record CommittedIn(String updateId) implements StateQuery {
        public CommittedIn {
            CheckpointCommitted.requireValidId(updateId);
        }
    }

    /** The whole chain, genesis first (for audits and history checks). */
    record Chain() implements StateQuery {
    }
}
