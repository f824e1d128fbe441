package io.starling.node.config;

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
 */
public record NodeConfig(String id, Role role, String listen, String http, String dataDir, long seed, Task task,
                         Train train, Aggregator aggregator, Client client, Peer peer, Data data, Faults faults) {
    /** What a node does. */
    public enum Role { AGGREGATOR, CLIENT, PEER }

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
}
