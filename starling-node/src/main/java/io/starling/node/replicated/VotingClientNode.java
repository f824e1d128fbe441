package io.starling.node.replicated;

import io.starling.node.NodeStatus;
import io.starling.node.RunningNode;
import io.starling.node.config.NodeConfig;
import java.nio.file.Path;

/**
 * A client that is also a voting member of the replicated aggregator: for small federations
 * every participant can be a candidate aggregator, so no device is special. One process runs
 * both halves: a {@link ReplicaNode} on its member entry's grpc address (data under
 * {@code dataDir/replica}) and a {@link GroupClientNode} on {@code listen} (data under
 * {@code dataDir/client}) that reaches the group, its own replica included, like any client.
 * Status and HTTP are the client's; the replica's role shows as the group's leader and members.
 */
public final class VotingClientNode implements RunningNode {
    private final ReplicaNode replica;
    private final GroupClientNode client;

    private VotingClientNode(ReplicaNode replica, GroupClientNode client) {
        this.replica = replica;
        this.client = client;
    }

    /** Starts the replica, then the client; if the client cannot start, the replica is stopped again. */
    public static VotingClientNode start(NodeConfig config) {
        NodeConfig.Member self = config.cluster().member(config.id());
        Path dataDir = Path.of(config.dataDir());
        NodeConfig replicaConfig = new NodeConfig(config.id(), NodeConfig.Role.REPLICA, self.grpc(), "",
                dataDir.resolve("replica").toString(), config.seed(), config.task(), config.train(), null, null, null,
                null, config.faults(), config.cluster(), null);
        NodeConfig clientConfig = new NodeConfig(config.id(), NodeConfig.Role.CLIENT, config.listen(), config.http(),
                dataDir.resolve("client").toString(), config.seed(), config.task(), config.train(), null,
                config.client(), null, config.data(), config.faults(), null, config.group());
        ReplicaNode replica = ReplicaNode.start(replicaConfig);
        try {
            return new VotingClientNode(replica, GroupClientNode.start(clientConfig));
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
    }

    /** The replica half, for its Raft view (who leads, the committed chain). */
    public ReplicaNode replica() {
        return replica;
    }

    @Override
    public String address() {
        return client.address();
    }

    @Override
    public int httpPort() {
        return client.httpPort();
    }

    @Override
    public NodeStatus status() {
        return client.status();
    }

    /** Stops the client first (its pending updates stay with the group), then the replica. */
    @Override
    public void close() {
        client.close();
        replica.close();
    }
}
