package io.starling.node;

import io.starling.node.config.NodeConfig;
import io.starling.node.replicated.GroupClientNode;
import io.starling.node.replicated.ReplicaNode;
import io.starling.node.replicated.VotingClientNode;

/**
 * A node started by {@code starling node}, whatever its role: it serves gRPC, reports its
 * {@link NodeStatus} (also at {@code /api/status} when HTTP is on) and stops on {@link #close}.
 */
public interface RunningNode extends AutoCloseable {
    /** "host:port" of the node's gRPC server. */
    String address();

    /** The HTTP port, or -1 when HTTP is off. */
    int httpPort();

    NodeStatus status();

    /** Stops serving and releases every thread; never throws. */
    @Override
    void close();

    /**
     * Starts the node {@code config} describes: a replica of the replicated aggregator
     * ({@link ReplicaNode}), a client of a replicated group ({@link GroupClientNode}), a client
     * that is also a voting member of the group ({@link VotingClientNode}), or an
     * aggregator, client or gossip peer ({@link StarlingNode}).
     */
    static RunningNode start(NodeConfig config) {
        if (config.role() == NodeConfig.Role.REPLICA) {
            return ReplicaNode.start(config);
        }
        if (config.role() == NodeConfig.Role.CLIENT && config.cluster() != null) {
            return VotingClientNode.start(config);
        }
        if (config.group() != null) {
            return GroupClientNode.start(config);
        }
        return StarlingNode.start(config);
    }
}
