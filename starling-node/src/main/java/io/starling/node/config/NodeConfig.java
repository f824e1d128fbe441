package io.starling.node.config;

import io.starling.core.aggregate.AggregationRules;
import io.starling.core.aggregate.FedBuff;
import io.starling.raft.aggregator.AggregatorConfig;
import java.util.List;

/**
 * One node's configuration, read from YAML by {@link NodeConfigLoader}. See docs/node.md for
 * every key with its default.
 *
 * @param id this node's id, 1..128 characters of [A-Za-z0-9._:-]
 * @param role aggregator, client or peer
 * @param listen "host:port" the gRPC server binds (port 0 picks a free one)
 * @param http "host:port" of the node HTTP server (/metrics, /healthz, /api/status); empty for none
 * @param dataDir where the blob store lives
 * @param seed seed of every random choice this node makes
 * @param task what is learned and how
 * @param train local training hyper-parameters (clients and peers)
 * @param aggregator aggregator settings (role aggregator)
 * @param client client settings (role client)
 * @param peer gossip settings (role peer)
 * @param data local data (clients and peers)
 * @param faults fault injection (tests only)
 * @param cluster the Raft group this node is a replica of (role replica), else null
 * @param group the replicated aggregator group a client submits to (role client with
 *     {@code client.replicas}), else null
 */
public record NodeConfig(String id, Role role, String listen, String http, String dataDir, long seed, Task task,
                         Train train, Aggregator aggregator, Client client, Peer peer, Data data, Faults faults,
                         Cluster cluster, Group group) {
    /** What a node does; a replica is one member of the replicated aggregator (a Raft group). */
    public enum Role { AGGREGATOR, CLIENT, PEER, REPLICA }

    /** How the federation learns. */
    public enum Mode { SYNC, ASYNC, GOSSIP }

    /**
     * @param id task id
     * @param model model spec for the factory, e.g. {@code logreg} or {@code mlp:128}
     * @param mode sync, async or gossip
     * @param rule aggregation rule spec ({@code fedavg}, {@code fedbuff:k=3,lr=1.0}, ...); gossip merges by age
     * @param maxStaleness async: updates more versions behind are refused
     * @param codec update codec: f32, f16, q8
     */
    public record Task(String id, String model, Mode mode, String rule, long maxStaleness, String codec) {
    }

    /**
     * Local training per round (or per gossip merge).
     *
     * @param epochs passes over the local data, ignored when {@code maxSteps > 0}
     * @param batchSize minibatch size
     * @param learningRate SGD step size
     * @param momentum heavy-ball momentum in [0, 1)
     * @param maxSteps if > 0, train this many minibatch steps instead of whole epochs, so nodes with
     *     more local data do not drift further per round than the others; 0 for epochs
     */
    public record Train(int epochs, int batchSize, double learningRate, double momentum, int maxSteps) {
    }

    /**
     * @param minClients sync: a round starts when this many clients joined, and asks at least this many
     * @param clientFraction sync: fraction C of known clients asked per round
     * @param minUpdates sync: a round commits only with this many updates
     * @param roundDeadlineMs sync: stragglers after this are dropped
     */
    public record Aggregator(int minClients, double clientFraction, int minUpdates, long roundDeadlineMs) {
    }

    /**
     * @param aggregatorId the aggregator's node id
     * @param aggregatorAddress its gRPC "host:port"
     * @param modelTimeoutMs re-join when no model arrives for this long
     * @param uploadBytesPerSecond upload bandwidth cap, bytes/s; 0 for none
     */
    public record Client(String aggregatorId, String aggregatorAddress, long modelTimeoutMs, long uploadBytesPerSecond) {
    }

    /**
     * @param peers bootstrap peers (more are learned by peer sampling)
     * @param periodMs gossip push period
     * @param shufflePeriodMs peer-sampling shuffle period
     * @param viewSize peer-sampling view size
     */
    public record Peer(List<PeerRef> peers, long periodMs, long shufflePeriodMs, int viewSize) {
    }

    /** A peer known by id and gRPC address. */
    public record PeerRef(String id, String address) {
    }

    /**
     * @param source {@code mnist10k}
     * @param partition partitioner spec, e.g. {@code dirichlet:0.5} or {@code iid}
     * @param clients number of shards the training split is cut into
     * @param index which shard is this node's, 0..clients-1
     * @param partitionSeed seed of the partition (the same on every node)
     */
    public record Data(String source, String partition, int clients, int index, long partitionSeed) {
    }

    /** @param enabled serve FaultControl and pass traffic through the fault layer */
    public record Faults(boolean enabled) {
    }

    /**
     * Role replica: the replicated aggregator group and this replica's settings in it. Every
     * replica of a group lists the same {@code groupId} and {@code members}.
     *
     * @param groupId the Raft group id (a UUID), the same on every replica
     * @param members the initial voters, this replica among them
     * @param join start outside the group and wait to be added with {@code starling cluster add}
     * @param electionTimeoutMinMs Raft election timeout, lower bound
     * @param electionTimeoutMaxMs Raft election timeout, upper bound
     * @param updatesPerCheckpoint the leader aggregates as soon as this many updates are pending
     * @param checkpointIntervalMs the leader also aggregates whatever is pending this often
     * @param termLengthMs leader rotation: after this long the leader hands over (0 = never)
     * @param snapshotEveryEntries snapshot the state machine every this many log entries
     * @param noLeaderTimeoutMs after this long without a leader the replica reports "no leader"
     * @param blobReplicationTimeoutMs how long the leader waits for a majority to hold a new model
     * @param commitTimeoutMs how long the leader waits for a proposed checkpoint to commit
     * @param maxModelBytes largest model blob accepted
     * @param adminToken the token, read from {@code cluster.adminTokenFile} when the config loads, that
     *     {@code starling cluster add|remove|transfer} must present; without one, membership changes
     *     are taken only from this replica's own host
     */
    public record Cluster(String groupId, List<Member> members, boolean join, long electionTimeoutMinMs,
                          long electionTimeoutMaxMs, int updatesPerCheckpoint, long checkpointIntervalMs,
                          long termLengthMs, long snapshotEveryEntries, long noLeaderTimeoutMs,
                          long blobReplicationTimeoutMs, long commitTimeoutMs, long maxModelBytes,
                          java.util.Optional<io.starling.raft.grpc.AdminToken> adminToken) {
        /** Raft log segment size of a replica node: the group default (only closed segments are purged). */
        public static final long LOG_SEGMENT_BYTES = 8L << 20;

        public Cluster {
            members = List.copyOf(members);
            java.util.Objects.requireNonNull(adminToken, "adminToken");
        }

        /**
         * The group settings the replica's Raft server runs with (log segments at their default size).
         * The batch size is {@code updatesPerCheckpoint}: a FedBuff rule's {@code k} follows it.
         *
         * @param ruleSpec the task's aggregation rule, applied to staleness-weighted deltas
         * @param maxStaleness the task's staleness bound, in versions
         */
        public AggregatorConfig aggregatorConfig(String ruleSpec, long maxStaleness) {
            String rule = AggregationRules.parse(ruleSpec) instanceof FedBuff f
                    ? new FedBuff(updatesPerCheckpoint, f.serverLearningRate(), f.staleness()).spec()
                    : ruleSpec;
            return new AggregatorConfig(groupId, updatesPerCheckpoint, checkpointIntervalMs, blobReplicationTimeoutMs,
                    commitTimeoutMs, termLengthMs, electionTimeoutMinMs, electionTimeoutMaxMs, noLeaderTimeoutMs,
                    snapshotEveryEntries, LOG_SEGMENT_BYTES, maxModelBytes, rule, maxStaleness);
        }

        /** The member entry of replica {@code id}. */
        public Member member(String id) {
            return members.stream().filter(m -> m.id().equals(id)).findFirst()
                    .orElseThrow(() -> new ConfigException("cluster.members: no member with id " + id));
        }
    }

    /**
     * One replica of the group.
     *
     * @param id the replica id (its node id and Raft peer id)
     * @param raft "host:port" of its Raft (Ratis gRPC) traffic
     * @param grpc "host:port" of its Starling gRPC server (Aggregator, Blob, Cluster): what clients dial
     */
    public record Member(String id, String raft, String grpc) {
    }

    /**
     * Role client of a replicated aggregator: submits through whichever replica leads, and falls
     * back to gossip with other clients when no leader answers.
     *
     * @param replicas the group's replicas, by id and Starling gRPC address (their {@code grpc})
     * @param peers other clients to gossip with during fallback (more are learned by peer sampling)
     * @param fallbackTimeoutMs T: no model from a serving leader for this long means gossip
     * @param probePeriodMs while gossiping, how often to ask whether a leader serves again
     * @param gossipPeriodMs while gossiping, how often to push the model to a peer
     * @param attemptTimeoutMs how long one replica is given to acknowledge before resending
     */
    public record Group(List<PeerRef> replicas, List<PeerRef> peers, long fallbackTimeoutMs, long probePeriodMs,
                        long gossipPeriodMs, long attemptTimeoutMs) {
        public Group {
            replicas = List.copyOf(replicas);
            peers = List.copyOf(peers);
        }
    }
}
