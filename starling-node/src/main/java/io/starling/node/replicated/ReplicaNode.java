package io.starling.node.replicated;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.starling.core.StarlingException;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.node.NodeStatus;
import io.starling.node.RunningNode;
import io.starling.node.config.NodeConfig;
import io.starling.node.http.NodeHttpServer;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.grpc.ReplicaServer;
import io.starling.raft.grpc.ReplicaSpec;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.ReplicaEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code starling node} with {@code role: replica}: one member of the replicated aggregator, a
 * {@link ReplicaServer} (Ratis replica plus the Aggregator, Blob and Cluster gRPC services) wired
 * from the node's YAML, with the node's HTTP status and metrics. The genesis model is the task's
 * initial model, seeded by the task id exactly as clients seed theirs, so every replica and
 * client starts from the same parameters. No protocol logic lives here.
 */
public final class ReplicaNode implements RunningNode {
    private static final Logger log = LoggerFactory.getLogger(ReplicaNode.class);
    private static final long EVALUATE_PERIOD_MS = 1_000;

    private final NodeConfig config;
    private final ReplicaServer server;
    private final NodeHttpServer http;
    private final ModelEvaluation evaluation;
    private final PrometheusMeterRegistry metrics;
    private final AtomicLong leaderChanges = new AtomicLong();
    private final long startedNanos = System.nanoTime();

    private ReplicaNode(NodeConfig config, ReplicaServer server, NodeHttpServer http, ModelEvaluation evaluation,
                        PrometheusMeterRegistry metrics) {
        this.config = config;
        this.server = server;
        this.http = http;
        this.evaluation = evaluation;
        this.metrics = metrics;
    }

    /** Binds HTTP (if configured) and gRPC, then starts the Raft replica. */
    public static ReplicaNode start(NodeConfig config) {
        NodeConfig.Cluster cluster = config.cluster();
        NodeConfig.Member self = cluster.member(config.id());
        TrainTestSplit split = Mnist10k.load();
        Model template = ModelFactory.builtIn().create(config.task().model(), split.train().featureDim(),
                split.train().numClasses(), config.task().id().hashCode());
        List<PeerAddress> members = new ArrayList<>();
        Map<String, String> grpcAddresses = new LinkedHashMap<>();
        for (NodeConfig.Member m : cluster.members()) {
            members.add(new PeerAddress(m.id(), host(m.raft()), port(m.raft())));
            grpcAddresses.put(m.id(), m.grpc());
        }
        PeerAddress selfRaft = new PeerAddress(self.id(), host(self.raft()), port(self.raft()));
        ReplicaSpec spec = new ReplicaSpec(cluster.aggregatorConfig(config.task().rule(), config.task().maxStaleness()), selfRaft, host(self.grpc()),
                port(self.grpc()), cluster.join() ? List.of() : members, grpcAddresses, Path.of(config.dataDir()),
                config.task().id(), config.task().model());
        if (cluster.adminToken().isPresent()) {
            spec = spec.withAdminToken(cluster.adminToken().get());
        }

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<ReplicaNode> nodeRef = new AtomicReference<>();
        NodeHttpServer http = config.http().isEmpty() ? null
                : new NodeHttpServer(host(config.http()), port(config.http()), metrics, () -> nodeRef.get() == null
                        ? null : nodeRef.get().status());
        String httpAddress = http == null ? null : host(config.http()) + ":" + http.port();
        ReplicaServer server;
        try {
            server = ReplicaServer.start(spec, template.params(), null, () -> httpAddress);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw new StarlingException("replica " + config.id() + " could not start (Raft on " + self.raft()
                    + ", gRPC on " + self.grpc() + "): " + e.getMessage(), e);
        }
        ModelEvaluation evaluation = new ModelEvaluation(config.id(), template, split.test(),
                () -> server.replica().latest().flatMap(c -> server.replica().latestModel()
                        .map(p -> new ModelEvaluation.Versioned(c.version(), p))), EVALUATE_PERIOD_MS);
        ReplicaNode node = new ReplicaNode(config, server, http, evaluation, metrics);
        server.replica().addListener(node.new LeaderLog());
        Gauge.builder("starling_model_version", node, n -> n.latestVersion()).register(metrics);
        Gauge.builder("starling_model_accuracy", evaluation, ModelEvaluation::accuracy).register(metrics);
        Gauge.builder("starling_replica_is_leader", node, n -> n.server.replica().isLeader() ? 1 : 0).register(metrics);
        Gauge.builder("starling_leader_changes", node.leaderChanges, AtomicLong::get).register(metrics);
        nodeRef.set(node);
        log.info("node {} is a replica of group {} ({} mode, task {}, model {}, rule {}): Raft on {}, gRPC on {}{}; "
                        + "members {}{}", config.id(), cluster.groupId(),
                config.task().mode().name().toLowerCase(Locale.ROOT), config.task().id(), config.task().model(),
                config.task().rule(), self.raft(), server.grpcAddress(),
                http == null ? "" : ", HTTP on port " + http.port(), grpcAddresses.keySet(),
                cluster.join() ? " (joining: waits to be added with `starling cluster add`)" : "");
        return node;
    }

    /** Logs who leads, so the node's log tells the group's story. */
    private final class LeaderLog implements ReplicaEvents {
        @Override
        public void onLeaderChanged(String leaderId) {
            leaderChanges.incrementAndGet();
            log.info("replica {}: leader is now {}", config.id(), leaderId);
        }

        @Override
        public void onLeaderReady() {
            log.info("replica {}: leading; aggregating from version {}", config.id(), latestVersion());
        }

        @Override
        public void onNotLeader() {
            log.info("replica {}: no longer leader", config.id());
        }

        @Override
        public void onExtendedNoLeader() {
            log.warn("replica {}: no leader for over {} ms", config.id(), config.cluster().noLeaderTimeoutMs());
        }
    }

    private long latestVersion() {
        return server.replica().latest().map(CheckpointCommitted::version).orElse(-1L);
    }

    @Override
    public String address() {
        return server.grpcAddress();
    }

    @Override
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Leader changes this replica has seen (every new leader it heard of, its first included). */
    public long leaderChanges() {
        return leaderChanges.get();
    }

    @Override
    public NodeStatus status() {
        List<CheckpointCommitted> chain = server.replica().chain();
        long included = chain.stream().mapToLong(c -> c.includedUpdateIds().size()).sum();
        List<String> members = List.copyOf(server.directory().all().keySet());
        Optional<String> leader = server.replica().leaderHint();
        return new NodeStatus(config.id(), "replica", config.task().mode().name().toLowerCase(Locale.ROOT),
                config.task().id(), server.grpcAddress(), Math.max(0, latestVersion()), evaluation.accuracy(),
                evaluation.evaluatedVersion(), members, List.of(), included, 0, 0, 0, 0, 0, 0,
                (System.nanoTime() - startedNanos) / 1_000_000, leader.orElse(""), members);
    }

    @Override
    public void close() {
        log.info("replica {} stopping", config.id());
        evaluation.close();
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            log.warn("replica {}: stopping the Raft server failed: {}", config.id(), e.toString());
        }
        if (http != null) {
            http.close();
        }
        metrics.close();
    }

    static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
