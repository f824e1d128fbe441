package io.starling.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.compress.ModelCodec;
import io.starling.core.compress.ModelCodecs;
import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.net.aggregator.AggregatorService;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.fault.FaultControlService;
import io.starling.net.fault.FaultInjector;
import io.starling.net.gossip.GossipService;
import io.starling.net.membership.MembershipService;
import io.starling.net.model.TaskView;
import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.node.config.ConfigException;
import io.starling.node.config.NodeConfig;
import io.starling.node.http.NodeHttpServer;
import io.starling.node.runtime.LocalTrainer;
import io.starling.node.runtime.ProtocolDriver;
import io.starling.node.transport.AddressBook;
import io.starling.node.transport.AggregatorLink;
import io.starling.node.transport.GrpcMessenger;
import io.starling.node.transport.Inboxes;
import io.starling.node.transport.NodeBackend;
import io.starling.node.transport.TrafficCounters;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.gossip.GossipNode;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.sync.SyncConfig;
import io.starling.protocol.sync.SyncServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Starling node: the protocol state machine for its role (the same class the
 * simulator runs) inside a {@link ProtocolDriver}, a gRPC server with the services its role
 * needs, a blob store, local data and training for clients and peers, evaluation of the latest
 * model on the test split, and the node HTTP server.
 *
 * <p>Roles: an {@code aggregator} runs {@link SyncServer} (sync) or {@link AsyncServer} (async);
 * a {@code client} runs {@link AggregatorClient}; a {@code peer} runs {@link GossipNode} with
 * Cyclon peer sampling. Every node starts from the same initial model (seeded by the task id).
 */
public final class StarlingNode implements RunningNode {
    private static final Logger log = LoggerFactory.getLogger(StarlingNode.class);

    private final NodeConfig config;
    private final LocalNode self;
    private final BlobStore store;
    private final ProtocolNode protocol;
    private final ProtocolDriver driver;
    private final LocalTrainer trainer;
    private final GrpcMessenger messenger;
    private final AggregatorLink link;
    private final PeerChannels channels;
    private final NetServer server;
    private final NodeHttpServer http;
    private final NodeBackend backend;
    private final AddressBook addresses;
    private final Inboxes inboxes;
    private final TrafficCounters traffic;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter acceptedCounter;
    private final Dataset test;
    private final Model evalModel;
    private final ExecutorService evaluator;
    private final ScheduledExecutorService ticker;
    private final long startedNanos = System.nanoTime();

    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<ParamVector> latest = new AtomicReference<>();
    private volatile double accuracy = -1;
    private volatile long evaluatedVersion = -1;
    private volatile boolean evaluating;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong stalenessSum = new AtomicLong();
    private final AtomicLong stalenessMax = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();

    private StarlingNode(NodeConfig config) {
        if (config.role() == NodeConfig.Role.REPLICA || config.group() != null) {
            throw new ConfigException("role: a replica or a client of a replicated group is started with "
                    + "RunningNode.start, not StarlingNode.start");
        }
        this.config = config;
        String host = config.listen().substring(0, config.listen().lastIndexOf(':'));
        int port = Integer.parseInt(config.listen().substring(config.listen().lastIndexOf(':') + 1));
        if (port == 0) {
            port = freePort(host);
        }
        this.self = new LocalNode(NodeId.of(config.id()), host + ":" + port, Clock.systemUTC());
        this.store = BlobStore.open(Path.of(config.dataDir()).resolve("blobs"));
        int swept = store.sweepPartials(Duration.ofHours(1));
        if (swept > 0) {
            log.info("removed {} abandoned partial uploads", swept);
        }

        TrainTestSplit split = Mnist10k.load();
        this.test = split.test();
        Model template = ModelFactory.builtIn().create(config.task().model(), split.train().featureDim(),
                split.train().numClasses(), config.task().id().hashCode());
        this.evalModel = template.copy();
        ParamVector initial = template.params();
        TrainConfig trainConfig = new TrainConfig(config.train().epochs(), config.train().maxSteps(), config.train().batchSize(),
                config.train().learningRate(), config.train().momentum(), 1e-4, config.seed());
        AggregationRule rule = AggregationRules.parse(config.task().rule());
        SplittableRng rng = SplittableRng.seeded(config.seed());

        this.addresses = new AddressBook();
        this.inboxes = new Inboxes();
        this.traffic = new TrafficCounters();
        TransportOptions options = TransportOptions.defaults();
        FaultInjector faults = config.faults().enabled() ? new FaultInjector(config.seed()) : null;
        this.channels = new PeerChannels(self, options, faults);
        AtomicReference<ProtocolDriver> driverRef = new AtomicReference<>();

        Dataset local = null;
        if (config.data() != null) {
            NodeConfig.Data d = config.data();
            List<int[]> parts = Partitioners.parse(d.partition()).partition(split.train(), d.clients(), d.partitionSeed());
            local = split.train().subset(parts.get(d.index()));
        }
        this.trainer = local == null ? null : new LocalTrainer(template, local, config.id());

        ModelCodec uploadCodec = ModelCodecs.parse(config.task().codec());
        long maxStaleness = config.task().mode() == NodeConfig.Mode.ASYNC ? config.task().maxStaleness() : 0;
        BlobDigest initialDigest = store.put(initial.toBytes());
        this.backend = new NodeBackend(new TaskView(config.task().id(), config.task().model(), initial.size(),
                uploadCodec.name(), maxStaleness, config.task().mode().name().toLowerCase(Locale.ROOT), 0,
                initialDigest, initial.size() * 4L), e -> driverRef.get().submit(e), addresses, inboxes, traffic);

        switch (config.role()) {
            case AGGREGATOR -> {
                NodeConfig.Aggregator a = config.aggregator();
                this.protocol = config.task().mode() == NodeConfig.Mode.SYNC
                        ? new SyncServer(self.id(), new SyncConfig(config.task().id(), initial.size(), a.clientFraction(),
                                a.minClients(), a.minUpdates(), a.roundDeadlineMs()), initial, rule, rng, List.of())
                        : new AsyncServer(self.id(), AsyncConfig.forRule(config.task().id(), initial.size(), rule,
                                config.task().maxStaleness()), initial, rule);
                this.link = null;
                latest.set(initial);
            }
            case CLIENT -> {
                NodeConfig.Client c = config.client();
                NodeId aggregator = NodeId.of(c.aggregatorId());
                addresses.learn(aggregator, c.aggregatorAddress());
                this.protocol = new AggregatorClient(self.id(), new ClientConfig(config.task().id(), aggregator,
                        initial.size(), trainConfig, c.modelTimeoutMs()), rng);
                var channel = channels.to(aggregator, c.aggregatorAddress());
                this.link = new AggregatorLink(aggregator, channel, self, BlobClient.of(channel, self), store,
                        e -> {
                            noteGlobalModel(e);
                            driverRef.get().submit(e);
                        }, traffic, options.timeouts());
            }
            case PEER -> {
                NodeConfig.Peer p = config.peer();
                List<NodeId> bootstrap = new ArrayList<>();
                for (NodeConfig.PeerRef ref : p.peers()) {
                    if (!ref.id().equals(config.id())) {
                        addresses.learn(NodeId.of(ref.id()), ref.address());
                        bootstrap.add(NodeId.of(ref.id()));
                    }
                }
                int shuffle = Math.max(1, Math.min(p.viewSize(), Math.max(1, p.viewSize() / 2)));
                this.protocol = new GossipNode(self.id(), new GossipConfig(config.task().id(), initial.size(),
                        p.periodMs(), trainConfig, new CyclonConfig(p.viewSize(), shuffle, p.shufflePeriodMs())),
                        initial, rule, rng, bootstrap);
                this.link = null;
                latest.set(initial);
            }
            default -> throw new ConfigException("role: unknown role " + config.role());
        }

        this.messenger = new GrpcMessenger(self, channels, addresses, inboxes, store, traffic, options,
                config.client() == null ? 0 : config.client().uploadBytesPerSecond(), link, uploadCodec);
        this.driver = new ProtocolDriver(protocol, messenger, trainer, new ProtocolDriver.Listener() {
            @Override
            public void onModelCommitted(Action.ModelCommitted commit) {
                committed(commit);
            }

            @Override
            public void onReport(Action.Report report) {
                observed(report.observation());
            }
        });
        driverRef.set(driver);

        AtomicReference<String> httpAddress = new AtomicReference<>();
        NetServer.Builder sb = NetServer.builder(host, port, options).addService(new BlobService(store, self))
                .advertiseHttpAddress(httpAddress::get);
        if (faults != null) {
            sb.faults(faults, self.id().value()).addService(new FaultControlService(faults));
        }
        switch (config.role()) {
            case AGGREGATOR -> sb.addService(new AggregatorService(backend, store, self));
            case PEER -> sb.addService(new GossipService(backend, store, self)).addService(new MembershipService(backend, self));
            case CLIENT -> { }
        }
        this.server = sb.start();

        this.acceptedCounter = Counter.builder("starling_updates_accepted").description("updates the protocol accepted")
                .register(metrics);
        Gauge.builder("starling_model_version", version, AtomicLong::get).register(metrics);
        Gauge.builder("starling_model_accuracy", this, n -> n.accuracy).register(metrics);
        Gauge.builder("starling_bytes_up", traffic, TrafficCounters::bytesUp).register(metrics);
        Gauge.builder("starling_bytes_down", traffic, TrafficCounters::bytesDown).register(metrics);
        if (config.http().isEmpty()) {
            this.http = null;
        } else {
            String hh = config.http().substring(0, config.http().lastIndexOf(':'));
            int hp = Integer.parseInt(config.http().substring(config.http().lastIndexOf(':') + 1));
            this.http = new NodeHttpServer(hh, hp, metrics, this::status);
            httpAddress.set(hh + ":" + http.port());
        }
        this.evaluator = Executors.newSingleThreadExecutor(r -> daemon(r, "evaluate-" + config.id()));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tick-" + config.id()));
    }

    /**
     * Builds and starts a node from {@code config}: an aggregator, a client of one aggregator or a
     * gossip peer ({@link RunningNode#start} also handles replicas and clients of a replicated group).
     */
    public static StarlingNode start(NodeConfig config) {
        StarlingNode node = new StarlingNode(config);
        node.driver.submit(new Event.Start());
        node.ticker.scheduleWithFixedDelay(node::tick, 500, 500, TimeUnit.MILLISECONDS);
        log.info("node {} is a {} ({} mode, task {}, model {}) listening on {}{}{}", config.id(),
                config.role().name().toLowerCase(Locale.ROOT), config.task().mode().name().toLowerCase(Locale.ROOT),
                config.task().id(), config.task().model(), node.server.address(),
                node.http == null ? "" : ", HTTP on port " + node.http.port(),
                node.trainer == null ? "" : ", " + node.trainer.localSamples() + " local training samples");
        return node;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static int freePort(String host) {
        try {
            return FreePorts.on(InetAddress.getByName(host));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigException("listen: cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String address() {
        return server.address();
    }

    @Override
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    private void committed(Action.ModelCommitted commit) {
        version.set(commit.version());
        latest.set(commit.model());
        if (config.role() == NodeConfig.Role.AGGREGATOR) {
            TaskView t = backend.currentTask();
            BlobDigest digest = store.put(commit.model().toBytes());
            backend.update(new TaskView(t.taskId(), t.modelSpec(), t.dimension(), t.updateCodec(), t.maxStaleness(),
                    t.mode(), commit.version(), digest, commit.model().size() * 4L));
            log.info("committed version {} (model age {}, {} updates accepted so far)", commit.version(),
                    String.format(Locale.ROOT, "%.0f", commit.age()), accepted.get());
        }
    }

    private void observed(Observation o) {
        switch (o) {
            case Observation.UpdateAccepted a -> {
                accepted.incrementAndGet();
                acceptedCounter.increment();
                stalenessSum.addAndGet(a.staleness());
                stalenessMax.accumulateAndGet(a.staleness(), Math::max);
            }
            case Observation.UpdateAcknowledged a -> acknowledged.incrementAndGet();
            case Observation.RoundClosed r -> log.info("round {} closed: {} of {} clients answered{}{}", r.round(),
                    r.received(), r.selected(), r.dropped().isEmpty() ? "" : ", stragglers " + r.dropped(),
                    r.committed() ? "" : ", nothing committed");
            case Observation.MessageRejected r -> log.info("refused {} from {}: {}", r.messageType(), r.from(), r.rejection());
            case Observation.UpdateRefused r -> log.info("update {} refused: {}", r.updateId(), r.rejection());
            default -> log.debug("{}", o);
        }
    }

    /**
     * A client holds, and evaluates, the newest global model the aggregator sent it: not the model
     * it trained from it on its own skewed data, which {@link AggregatorClient#latestModel()} also
     * returns under the same version number (in a sync run that made one client report 0.80 while
     * the others reported the global model's ~0.92).
     */
    private void noteGlobalModel(Event e) {
        if (e instanceof Event.MessageReceived m && m.message() instanceof io.starling.protocol.message.GlobalModel g) {
            synchronized (version) {
                if (latest.get() == null || g.version() > version.get()) {
                    latest.set(g.params());
                    version.set(g.version());
                }
            }
        }
    }

    /** Every 500 ms: evaluates the model this node holds if that version was not evaluated yet. */
    private void tick() {
        try {
            long v;
            ParamVector model;
            synchronized (version) {
                v = version.get();
                model = latest.get();
            }
            if (model != null && v != evaluatedVersion && !evaluating) {
                evaluating = true;
                evaluator.execute(() -> evaluate(v, model));
            }
        } catch (Exception e) {
            log.warn("status tick failed: {}", e.toString());
        }
    }

    private void evaluate(long v, ParamVector model) {
        try {
            evalModel.setParams(model);
            accuracy = evalModel.evaluate(test).accuracy();
            evaluatedVersion = v;
            log.info("version {}: test accuracy {}", v, String.format(Locale.ROOT, "%.4f", accuracy));
        } catch (RuntimeException e) {
            log.warn("cannot evaluate version {}: {}", v, e.getMessage());
        } finally {
            evaluating = false;
        }
    }

    @Override
    public NodeStatus status() {
        long n = accepted.get();
        return new NodeStatus(config.id(), config.role().name().toLowerCase(Locale.ROOT),
                config.task().mode().name().toLowerCase(Locale.ROOT), config.task().id(), server.address(),
                version.get(), accuracy, evaluatedVersion, List.copyOf(addresses.knownIds()),
                List.copyOf(inboxes.clients()), n, n == 0 ? 0 : (double) stalenessSum.get() / n, stalenessMax.get(),
                acknowledged.get(), trainer == null ? 0 : trainer.samplesTrained(), traffic.bytesUp(),
                traffic.bytesDown(), (System.nanoTime() - startedNanos) / 1_000_000, "", List.of());
    }

    /** Stops serving (gracefully, 2 s grace) and releases every thread. */
    @Override
    public void close() {
        log.info("node {} stopping", config.id());
        ticker.shutdownNow();
        driver.close();
        if (link != null) {
            link.close();
        }
        messenger.close();
        server.shutdownGracefully(Duration.ofSeconds(2));
        channels.close();
        if (trainer != null) {
            trainer.close();
        }
        if (http != null) {
            http.close();
        }
        evaluator.shutdownNow();
    }
}
