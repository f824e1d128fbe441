package io.starling.raft.state;

/**
 * When the leader's steps towards one committed checkpoint happened, in wall-clock milliseconds
 * from {@link #nowMs()} (so that processes on one host can be compared). Reported to
 * {@link ReplicaEvents#onCheckpointTiming} by the replica that proposed the checkpoint, to break
 * failover time and commit latency down into their parts.
 *
 * @param version the committed version
 * @param batchTakenAtMs the leader took the batch of pending updates (aggregation starts)
 * @param replicationStartedAtMs the new model was aggregated, encoded, hashed; blob push starts
 * @param blobReplicatedAtMs a majority of voters held the verified blob; the entry is proposed
 * @param appliedAtMs the entry was committed and applied on the proposing replica
 */
public record CheckpointTiming(long version, long batchTakenAtMs, long replicationStartedAtMs,
                               long blobReplicatedAtMs, long appliedAtMs) {
    public CheckpointTiming {
        if (!(batchTakenAtMs <= replicationStartedAtMs && replicationStartedAtMs <= blobReplicatedAtMs
                && blobReplicatedAtMs <= appliedAtMs)) {
            throw new IllegalArgumentException("checkpoint " + version + " steps out of order: batch " + batchTakenAtMs
                    + ", replication " + replicationStartedAtMs + ", replicated " + blobReplicatedAtMs
                    + ", applied " + appliedAtMs);
        }
    }

    private static final long WALL_BASE_MS = System.currentTimeMillis();
    private static final long NANO_BASE = System.nanoTime();

    /**
     * The clock of these timings: the wall clock when this class was loaded plus the monotonic time
     * since, so it never goes backwards yet compares across processes on one host to about a
     * millisecond.
     */
    public static long nowMs() {
        return WALL_BASE_MS + (System.nanoTime() - NANO_BASE) / 1_000_000;
    }
}
