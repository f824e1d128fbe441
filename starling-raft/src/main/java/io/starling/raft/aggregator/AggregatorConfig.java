package io.starling.raft.aggregator;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.aggregate.FedBuff;
import io.starling.core.aggregate.StalenessBound;
import java.util.UUID;

/**
 * Settings of one replicated aggregator group. Every replica of a group must use the same
 * {@code groupId}; the timing settings may differ per replica but normally do not.
 *
 * @param groupId the Raft group id shared by all replicas
 * @param updatesPerCheckpoint the leader aggregates as soon as this many updates are pending
 * @param checkpointIntervalMs the leader also aggregates whatever is pending this often
 * @param blobReplicationTimeoutMs how long the leader waits for a majority to hold a new blob
 * @param commitTimeoutMs how long the leader waits for a proposed checkpoint to commit
 * @param termLengthMs after this long as leader, hand leadership to the next replica (0 = never)
 * @param electionTimeoutMinMs Raft election timeout, lower bound (Ratis default 150)
 * @param electionTimeoutMaxMs Raft election timeout, upper bound (Ratis default 300)
 * @param noLeaderTimeoutMs after this long without a leader, listeners hear "extended no leader"
 * @param snapshotEveryEntries take a snapshot (and let the log be purged) every this many entries
 * @param logSegmentBytes size of a Raft log segment; only closed segments can be purged
 * @param maxModelBytes largest model blob accepted
 * @param ruleSpec how the leader combines locally trained updates, an
 *     {@link AggregationRules#parse} spec; each update enters as its delta against its own base
 *     version, tagged with its staleness. A FedBuff rule's {@code k} is {@code updatesPerCheckpoint}
 *     (one setting: {@link #withRule} and {@link #withUpdatesPerCheckpoint} keep them equal)
 * @param maxStaleness an update whose base version is more than this many versions behind the
 *     latest checkpoint is refused ({@link UpdateRejectedException.Reason#STALE}), >= 0
 */
public record AggregatorConfig(
        String groupId,
        int updatesPerCheckpoint,
        long checkpointIntervalMs,
        long blobReplicationTimeoutMs,
        long commitTimeoutMs,
        long termLengthMs,
        long electionTimeoutMinMs,
        long electionTimeoutMaxMs,
        long noLeaderTimeoutMs,
        long snapshotEveryEntries,
        long logSegmentBytes,
        long maxModelBytes,
        String ruleSpec,
        long maxStaleness) {

    /** Default rule: FedBuff over the batch, stale deltas discounted by {@code (1 + staleness)^-0.5}. */
    public static final String DEFAULT_RULE = "fedbuff:k=4,lr=1,staleness=poly:0.5";
    /** Default staleness bound, in versions. */
    public static final long DEFAULT_MAX_STALENESS = 10;

    public AggregatorConfig {
        UUID.fromString(groupId);
        requirePositive("updatesPerCheckpoint", updatesPerCheckpoint);
        requirePositive("checkpointIntervalMs", checkpointIntervalMs);
        requirePositive("blobReplicationTimeoutMs", blobReplicationTimeoutMs);
        requirePositive("commitTimeoutMs", commitTimeoutMs);
        if (termLengthMs < 0) {
            throw new IllegalArgumentException("termLengthMs must be >= 0 (0 disables rotation), got " + termLengthMs);
        }
        requirePositive("electionTimeoutMinMs", electionTimeoutMinMs);
        if (electionTimeoutMaxMs <= electionTimeoutMinMs) {
            throw new IllegalArgumentException("electionTimeoutMaxMs (" + electionTimeoutMaxMs
                    + ") must exceed electionTimeoutMinMs (" + electionTimeoutMinMs + ")");
        }
        requirePositive("noLeaderTimeoutMs", noLeaderTimeoutMs);
        requirePositive("snapshotEveryEntries", snapshotEveryEntries);
        if (logSegmentBytes < 1024) {
            throw new IllegalArgumentException("logSegmentBytes must be >= 1024, got " + logSegmentBytes);
        }
        requirePositive("maxModelBytes", maxModelBytes);
        AggregationRule parsed = AggregationRules.parse(ruleSpec);
        if (parsed instanceof FedBuff f && f.bufferSize() != updatesPerCheckpoint) {
            throw new IllegalArgumentException("rule " + ruleSpec + " buffers k = " + f.bufferSize()
                    + " updates but updatesPerCheckpoint is " + updatesPerCheckpoint + "; make them equal");
        }
        if (parsed instanceof DoublyWeightedAveraging) {
            throw new IllegalArgumentException("rule " + ruleSpec + " merges gossip models; trained updates need an "
                    + "averaging rule such as fedavg, fedbuff or fedasync (hand-backs are merged by doubly weighted "
                    + "averaging anyway)");
        }
        new StalenessBound(maxStaleness);
    }

    /** The parsed {@link #ruleSpec}. */
    public AggregationRule rule() {
        return AggregationRules.parse(ruleSpec);
    }

    public StalenessBound stalenessBound() {
        return new StalenessBound(maxStaleness);
    }

    private static void requirePositive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    /** Defaults for a group: Ratis' election timeouts, no rotation, snapshots every 1024 entries. */
    public static AggregatorConfig defaults(String groupId) {
        return new AggregatorConfig(groupId, 4, 200, 10_000, 5_000, 0, 150, 300, 3_000, 1024,
                8L * 1024 * 1024, 512L * 1024 * 1024, DEFAULT_RULE, DEFAULT_MAX_STALENESS);
    }

    /**
     * The same settings with another rule. A FedBuff rule also sets {@code updatesPerCheckpoint}
     * to its {@code k}.
     *
     * @throws io.starling.core.aggregate.AggregationSpecException if {@code spec} does not parse
     */
    public AggregatorConfig withRule(String spec) {
        int batch = AggregationRules.parse(spec) instanceof FedBuff f ? f.bufferSize() : updatesPerCheckpoint;
        return new AggregatorConfig(groupId, batch, checkpointIntervalMs, blobReplicationTimeoutMs, commitTimeoutMs,
                termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs, snapshotEveryEntries,
                logSegmentBytes, maxModelBytes, spec, maxStaleness);
    }

    public AggregatorConfig withMaxStaleness(long versions) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                commitTimeoutMs, termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs,
                snapshotEveryEntries, logSegmentBytes, maxModelBytes, ruleSpec, versions);
    }

    /** The same settings with another batch size; a FedBuff rule's {@code k} follows it. */
    public AggregatorConfig withUpdatesPerCheckpoint(int n) {
        String spec = rule() instanceof FedBuff f ? new FedBuff(n, f.serverLearningRate(), f.staleness()).spec() : ruleSpec;
        return new AggregatorConfig(groupId, n, checkpointIntervalMs, blobReplicationTimeoutMs, commitTimeoutMs,
                termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs, snapshotEveryEntries,
                logSegmentBytes, maxModelBytes, spec, maxStaleness);
    }

    public AggregatorConfig withCheckpointIntervalMs(long ms) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, ms, blobReplicationTimeoutMs, commitTimeoutMs,
                termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs, snapshotEveryEntries,
                logSegmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }

    public AggregatorConfig withTermLengthMs(long ms) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                commitTimeoutMs, ms, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs,
                snapshotEveryEntries, logSegmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }

    public AggregatorConfig withNoLeaderTimeoutMs(long ms) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                commitTimeoutMs, termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, ms,
                snapshotEveryEntries, logSegmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }

    public AggregatorConfig withElectionTimeoutMs(long minMs, long maxMs) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                commitTimeoutMs, termLengthMs, minMs, maxMs, noLeaderTimeoutMs, snapshotEveryEntries,
                logSegmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }

    /** Snapshot every {@code entries} entries with {@code segmentBytes} log segments (small values in tests). */
    public AggregatorConfig withSnapshots(long entries, long segmentBytes) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                commitTimeoutMs, termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs,
                entries, segmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }

    public AggregatorConfig withTimeouts(long blobReplicationMs, long commitMs) {
        return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationMs, commitMs,
                termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs, snapshotEveryEntries,
                logSegmentBytes, maxModelBytes, ruleSpec, maxStaleness);
    }
}
