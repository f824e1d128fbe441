package io.starling.raft.grpc;

import io.starling.net.proto.Checkpoint;
import io.starling.raft.log.CheckpointCommitted;
import java.util.TreeMap;

/** Converts committed checkpoints to and from their {@code Cluster} protobuf form. */
public final class CheckpointMessages {
    private CheckpointMessages() {
    }

    public static Checkpoint toProto(CheckpointCommitted c) {
        return Checkpoint.newBuilder().setVersion(c.version()).setParentVersion(c.parentVersion())
                .setDigest(c.digest()).setModelBytes(c.modelBytes()).addAllIncludedUpdateIds(c.includedUpdateIds())
                .setProposer(c.proposer()).putAllMetrics(c.metrics()).build();
    }

    /**
     * The checkpoint a message describes.
     *
     * @throws IllegalArgumentException if the message breaks a checkpoint rule
     */
    public static CheckpointCommitted fromProto(Checkpoint p) {
        return new CheckpointCommitted(p.getVersion(), p.getParentVersion(), p.getDigest(), p.getModelBytes(),
                p.getIncludedUpdateIdsList(), p.getProposer(), new TreeMap<>(p.getMetricsMap()));
    }
}
