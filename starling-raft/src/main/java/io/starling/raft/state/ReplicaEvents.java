package io.starling.raft.state;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import java.util.List;

/**
 * What a replica's state machine tells the rest of the node: leadership changes (to start or
 * stop aggregating, to announce a term key, to follow a new leader), a long absence of any leader
 * (to fall back to gossip), and every applied entry (to acknowledge client updates and record
 * history). Methods are called on Ratis threads and must return quickly; long work goes to the
 * listener's own executor.
 */
public interface ReplicaEvents {
    /**
     * A new leader is known. Ratis does not report the loss of a leader; {@link #onExtendedNoLeader}
     * covers long leaderless periods.
     */
    default void onLeaderChanged(String leaderId) {
    }

    /** This replica became leader and its first entry of the term is committed: it may serve. */
    default void onLeaderReady() {
    }

    /** This replica stopped being leader. */
    default void onNotLeader() {
    }

    /** No leader has been known for longer than the configured no-leader timeout. */
    default void onExtendedNoLeader() {
    }

    /** One log entry at {@code logIndex} was applied with the given outcome. */
    default void onApplied(LogEntry entry, ApplyOutcome outcome, long logIndex) {
    }

    /**
     * The state was replaced by a snapshot (at start-up, or installed from the leader after this
     * replica fell behind or lost its data directory).
     */
    default void onRestored(List<CheckpointCommitted> chain, long logIndex) {
    }

    /**
     * This replica, as leader, proposed a checkpoint that is now applied; {@code timing} says when
     * each step happened (for latency breakdowns; the node may export it as metrics).
     */
    default void onCheckpointTiming(CheckpointTiming timing) {
    }
}
