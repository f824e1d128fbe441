package io.starling.node.replicated;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.node.NodeStatus;
import io.starling.node.RunningNode;
import io.starling.node.config.NodeConfig;
import io.starling.node.fallback.FallbackClient;
import io.starling.node.fallback.FallbackSettings;
import io.starling.node.fallback.GrpcCluster;
import io.starling.node.fallback.RelaySettings;
import io.starling.node.fallback.RelaySource;
import io.starling.node.http.NodeHttpServer;
import io.starling.protocol.hybrid.HybridState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code starling node} with {@code role: client} and {@code client.replicas}: a client of the
 * replicated aggregator. It is a {@link FallbackClient} (the protocol core's hybrid client:
 * submit to whichever replica leads, resend after failover, gossip with other clients when no
 * leader answers for {@code fallbackTimeoutMs}, hand the gossip model back later) over a
 * {@link GrpcCluster} of the configured replicas, with the node's local data, HTTP status and
 * metrics. It holds and evaluates the newest committed model the group served it.
 */
public final class GroupClientNode implements RunningNode {
    private static final Logger log = LoggerFactory.getLogger(GroupClientNode.class);
    private static final long EVALUATE_PERIOD_MS = 500;

    private final NodeConfig config;
    private final GrpcCluster cluster;
    private final FallbackClient client;
    private final ModelEvaluation evaluation;
    private final ModelEvaluation gossipEvaluation;
    private final NodeHttpServer http;
    private final PrometheusMeterRegistry metrics;
    private final long startedNanos = System.nanoTime();

    private GroupClientNode(NodeConfig config, GrpcCluster cluster, FallbackClient client, ModelEvaluation evaluation,
                            ModelEvaluation gossipEvaluation, NodeHttpServer http, PrometheusMeterRegistry metrics) {
        this.config = config;
        this.cluster = cluster;
        this.client = client;
        this.evaluation = evaluation;
        this.gossipEvaluation = gossipEvaluation;
        this.http = http;
        this.metrics = metrics;
    }

    /** Loads the local data, binds gRPC (and HTTP if configured), and joins the group. */
    public static GroupClientNode start(NodeConfig config) {
        NodeConfig.Group group = config.group();
        TrainTestSplit split = Mnist10k.load();
        NodeConfig.Data d = config.data();
        List<int[]> parts = Partitioners.parse(d.partition()).partition(split.train(), d.clients(), d.partitionSeed());
        Dataset local = split.train().subset(parts.get(d.index()));
        Model template = ModelFactory.builtIn().create(config.task().model(), split.train().featureDim(),
                split.train().numClasses(), config.task().id().hashCode());
        NodeConfig.Train t = config.train();
        TrainConfig train = new TrainConfig(t.epochs(), t.maxSteps(), t.batchSize(), t.learningRate(), t.momentum(),
                1e-4, config.seed());
        Path dataDir = Path.of(config.dataDir());

        Map<String, String> replicas = new LinkedHashMap<>();
        group.replicas().forEach(r -> replicas.put(r.id(), r.address()));
        GrpcCluster cluster = new GrpcCluster(config.id(), replicas, config.task().id(), dataDir.resolve("cluster-blobs"),
                group.attemptTimeoutMs(), null, RelaySettings.defaults(), config.seed());
        FallbackSettings settings = new FallbackSettings(config.id(), config.task().id(), config.task().model(),
                group.fallbackTimeoutMs(), group.probePeriodMs(), group.gossipPeriodMs(), 10 * group.fallbackTimeoutMs(),
                8, 4 * group.gossipPeriodMs(), train, config.seed(), dataDir);
        AtomicReference<String> httpAddress = new AtomicReference<>();
        FallbackClient client = FallbackClient.create(settings, template, local, cluster,
                group.peers().stream().map(NodeConfig.PeerRef::id).toList(), ReplicaNode.host(config.listen()),
                ReplicaNode.port(config.listen()), httpAddress::get);
        group.peers().forEach(p -> client.learnPeer(p.id(), p.address()));

        ModelEvaluation evaluation = new ModelEvaluation(config.id(), template, split.test(),
                () -> client.lastServedModel().map(m -> new ModelEvaluation.Versioned(m.version(), m.params())),
                EVALUATE_PERIOD_MS);
        // The gossip model changes with every merge and local training, so each period while in
        // fallback evaluates it afresh (a tick counter stands in for its version).
        AtomicLong gossipTick = new AtomicLong();
        ModelEvaluation gossipEvaluation = new ModelEvaluation(config.id() + "-gossip", template, split.test(),
                () -> client.mode() == HybridState.FALLBACK
                        ? Optional.of(new ModelEvaluation.Versioned(gossipTick.incrementAndGet(),
                                client.currentModel()))
                        : Optional.empty(),
                EVALUATE_PERIOD_MS);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<GroupClientNode> nodeRef = new AtomicReference<>();
        NodeHttpServer http = config.http().isEmpty() ? null
                : new NodeHttpServer(ReplicaNode.host(config.http()), ReplicaNode.port(config.http()), metrics,
                        () -> nodeRef.get() == null ? null : nodeRef.get().status());
        if (http != null) {
            httpAddress.set(ReplicaNode.host(config.http()) + ":" + http.port());
        }
        GroupClientNode node = new GroupClientNode(config, cluster, client, evaluation, gossipEvaluation, http,
                metrics);
        Gauge.builder("starling_model_version", node, n -> n.servedVersion()).register(metrics);
        Gauge.builder("starling_model_accuracy", evaluation, ModelEvaluation::accuracy).register(metrics);
        Gauge.builder("starling_gossip_fallback", client, c -> c.mode() == HybridState.FALLBACK ? 1 : 0)
                .register(metrics);
        Gauge.builder("starling_gossip_accuracy", gossipEvaluation, ModelEvaluation::accuracy).register(metrics);
        Gauge.builder("starling_bytes_up", node, n -> n.bytesUp()).register(metrics);
        Gauge.builder("starling_bytes_down", node, n -> n.bytesDown()).register(metrics);
        for (RelaySource source : RelaySource.values()) {
            Gauge.builder("starling_model_bytes_received", cluster.relayCounters(), c -> c.bytes(source))
                    .tag("source", source.tag())
                    .description("committed-model bytes this client fetched, by source (peer, follower, leader)")
                    .register(metrics);
        }
        nodeRef.set(node);
        client.start();
        log.info("node {} is a client of the replicated aggregator {} ({} mode, task {}, model {}) on {}{}, "
                        + "{} local training samples; gossip fallback after {} ms with peers {}", config.id(),
                replicas, config.task().mode().name().toLowerCase(Locale.ROOT), config.task().id(),
                config.task().model(), client.address(), http == null ? "" : ", HTTP on port " + http.port(),
                local.size(), group.fallbackTimeoutMs(), group.peers().stream().map(NodeConfig.PeerRef::id).toList());
        return node;
    }

    private long servedVersion() {
        return client.lastServedModel().map(m -> m.version()).orElse(0L);
    }

    private long bytesUp() {
        return cluster.bytesUp() + client.gossipBytesUp();
    }

    private long bytesDown() {
        return cluster.bytesDown() + client.gossipBytesDown();
    }

    /** CONNECTED while a leader serves it, FALLBACK while it learns by gossip. */
    public HybridState mode() {
        return client.mode();
    }

    @Override
    public String address() {
        return client.address();
    }

    @Override
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public NodeStatus status() {
        return new NodeStatus(config.id(), "client", config.task().mode().name().toLowerCase(Locale.ROOT),
                config.task().id(), client.address(), servedVersion(), evaluation.accuracy(),
                evaluation.evaluatedVersion(), List.copyOf(client.knownPeers()), List.of(), 0, 0, 0,
                client.updatesAcknowledged(), client.samplesTrained(), bytesUp(), bytesDown(),
                (System.nanoTime() - startedNanos) / 1_000_000, "",
                config.group().replicas().stream().map(NodeConfig.PeerRef::id).toList());
    }

    @Override
    public void close() {
        log.info("client {} stopping", config.id());
        evaluation.close();
        gossipEvaluation.close();
        client.close();
        cluster.close();
        if (http != null) {
            http.close();
        }
        metrics.close();
    }
}
