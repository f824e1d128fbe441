package io.starling.raft.log;

/**
 * One entry of the replicated aggregator's Raft log. Entries are small by construction (model
 * bytes never enter the log; they travel as content-addressed blobs), so a log stays far below
 * Ratis' 4 MB entry cap and snapshots stay cheap.
 *
 * <p>Every entry is applied by every replica in log order; the application rules live in
 * {@link io.starling.raft.state.CheckpointChain} and are deterministic, so replicas agree.
 */
public sealed interface LogEntry permits CheckpointCommitted, TermKeyAnnounced, ConfigChanged {
}
