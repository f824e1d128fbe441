package io.starling.raft.harness;

import io.starling.net.proto.MembersResponse;

/**
 * One replica's answer to {@code Cluster.Members}, reduced to what the tests, the benchmark and
 * the demo watch.
 *
 * @param id the replica
 * @param isLeader whether it serves as the aggregator leader
 * @param leader the leader it believes in, empty when none
 * @param latestVersion its latest applied checkpoint version, -1 before genesis
 * @param proposer who proposed that checkpoint, empty before genesis
 * @param holdsLatestBlob whether its blob store holds that checkpoint's model
 */
public record ReplicaStatus(String id, boolean isLeader, String leader, long latestVersion, String proposer,
                            boolean holdsLatestBlob) {
    public static ReplicaStatus of(MembersResponse m) {
        return new ReplicaStatus(m.getReplicaId(), m.getServingLeader(), m.getLeaderId(),
                m.hasLatest() ? m.getLatest().getVersion() : -1, m.hasLatest() ? m.getLatest().getProposer() : "",
                m.getHoldsLatestBlob());
    }
}
