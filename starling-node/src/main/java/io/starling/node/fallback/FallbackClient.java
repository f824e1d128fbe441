package io.starling.node.fallback;

import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.gossip.GossipService;
import io.starling.net.membership.MembershipService;
import io.starling.net.model.TaskView;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.node.runtime.LocalTrainer;
import io.starling.node.runtime.ProtocolDriver;
import io.starling.node.transport.AddressBook;
import io.starling.node.transport.GrpcMessenger;
import io.starling.node.transport.Inboxes;
import io.starling.node.transport.NodeBackend;
import io.starling.node.transport.TrafficCounters;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.hybrid.HybridClient;
import io.starling.protocol.hybrid.HybridConfig;
import io.starling.protocol.hybrid.HybridState;
import io.starling.protocol.sampling.CyclonConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A federated client of the replicated aggregator that keeps learning when no leader answers:
 * the protocol core's {@link HybridClient} (the same state machine the simulator runs) on real
 * time, real training and real gRPC.
 *
 * <ul>
 *   <li>While a leader serves, the client trains on the latest committed model and submits
 *       each result until a committed checkpoint includes it ({@link ClusterLink}).</li>
 *   <li>When no model comes from a serving leader for {@link FallbackSettings#fallbackTimeoutMs()}
 *       (no ack, no leader, every replica down), the hybrid switches to gossip learning: it pushes
 *       its model to random peers over the gRPC {@code Gossip} service (peer sampling by Cyclon
 *       over the {@code Membership} service), merges what it receives by model age and trains
 *       on it.</li>
 *   <li>Every {@link FallbackSettings#probePeriodMs()} it asks whether a leader serves again; when
 *       one does, it hands its gossip model back with its age (merged on the leader by doubly
 *       weighted averaging) and resumes normal submissions.</li>
 * </ul>
 * Each client hosts its own gRPC server ({@code Blob}, {@code Gossip}, {@code Membership}); its
 * {@code Blob} service also serves the committed models it fetched, so other clients fetch them
 * from it rather than from the replicas ({@link ReplicatedCluster#relayThrough}). Peers
 * are named at creation and their addresses given with {@link #learnPeer} before {@link #start}.
 * Switches are logged and kept in {@link #switches()}.
 */
public final class FallbackClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FallbackClient.class);
    /** The node id the hybrid protocol uses for "the aggregator": the replicated group as a whole. */
    static final NodeId AGGREGATOR = NodeId.of("replicated-aggregator");

    private final FallbackSettings settings;
    private final HybridClient hybrid;
    private final ParamVector initialModel;
    private final NetServer server;
    private final PeerChannels channels;
    private final GrpcMessenger messenger;
    private final LocalTrainer trainer;
    private final ClusterLink link;
    private final ProtocolDriver driver;
    private final AddressBook addresses = new AddressBook();
    private final List<ModeSwitch> switches = new CopyOnWriteArrayList<>();
    private final TrafficCounters traffic;
    private volatile HybridState mode = HybridState.NEW;
    private volatile ServedModel lastServed;
    private final java.util.concurrent.atomic.AtomicLong updatesAcked = new java.util.concurrent.atomic.AtomicLong();

    private FallbackClient(FallbackSettings s, Model template, Dataset localData, ReplicatedCluster cluster,
                           Collection<String> peerIds, String listenHost, int listenPort,
                           java.util.function.Supplier<String> httpAddress) {
        this.settings = s;
        this.initialModel = template.params();
        int dim = initialModel.size();
        NodeId id = NodeId.of(s.clientId());
        BlobStore store = BlobStore.open(s.dataDir().resolve("blobs"));
        BlobDigest initialDigest = store.put(initialModel.toBytes());
        this.traffic = new TrafficCounters();
        Inboxes inboxes = new Inboxes();
        TransportOptions options = TransportOptions.defaults();
        AtomicReference<ProtocolDriver> driverRef = new AtomicReference<>();
        NodeBackend backend = new NodeBackend(new TaskView(s.taskId(), s.modelSpec(), dim, "f32", 0, "gossip", 0,
                initialDigest, dim * 4L), e -> driverRef.get().submit(e), addresses, inboxes, traffic);

        // Services only stamp their replies with this node's id; its address is known once bound.
        LocalNode unbound = LocalNode.of(s.clientId(), "");
        NetServer.Builder builder = NetServer.builder(listenHost, listenPort, options)
                .addService(new BlobService(store, unbound))
                .addService(new GossipService(backend, store, unbound))
                .addService(new MembershipService(backend, unbound));
        if (httpAddress != null) {
            builder.advertiseHttpAddress(httpAddress);
        }
        this.server = builder.start();
        LocalNode self = new LocalNode(id, server.address(), Clock.systemUTC());
        this.channels = new PeerChannels(self, options, null);
        this.messenger = new GrpcMessenger(self, channels, addresses, inboxes, store, traffic, options, 0, null);
        this.trainer = new LocalTrainer(template, localData, s.clientId());
        // Committed models land in the store this client's Blob service serves, so peers can
        // fetch them from here instead of from the replicas.
        cluster.relayThrough(store, this::peerAddresses);
        this.link = new ClusterLink(AGGREGATOR, s.clientId(), s.taskId(), localData.size(), cluster,
                s.fallbackTimeoutMs(), s.handBackTimeoutMs(), e -> {
                    noteServed(e);
                    driverRef.get().submit(e);
                });

        int shuffle = Math.max(1, s.viewSize() / 2);
        HybridConfig config = new HybridConfig(
                new ClientConfig(s.taskId(), AGGREGATOR, dim, s.train(), s.fallbackTimeoutMs()),
                new GossipConfig(s.taskId(), dim, s.gossipPeriodMs(), s.train(),
                        new CyclonConfig(s.viewSize(), shuffle, s.shufflePeriodMs())),
                s.probePeriodMs());
        List<NodeId> peers = new ArrayList<>();
        peerIds.stream().filter(p -> !p.equals(s.clientId())).forEach(p -> peers.add(NodeId.of(p)));
        this.hybrid = new HybridClient(id, config, initialModel, new DoublyWeightedAveraging(0.5),
                SplittableRng.seeded(s.seed()), peers);
        this.driver = new ProtocolDriver(hybrid,
                (to, message) -> to.equals(AGGREGATOR) ? link.send(message) : messenger.send(to, message),
                trainer, new ProtocolDriver.Listener() {
                    @Override
                    public void onModelCommitted(Action.ModelCommitted commit) {
                        // gossip versions are local; the test and the demo read models on demand
                    }

                    @Override
                    public void onReport(Action.Report report) {
                        observed(report.observation());
                    }
                });
        driverRef.set(driver);
    }

    /**
     * Creates a client and binds its gRPC server on 127.0.0.1 (an ephemeral port); call
     * {@link #learnPeer} for each peer, then {@link #start}.
     *
     * @param template the model architecture, holding the initial model (the genesis model)
     * @param localData this client's training data
     * @param peerIds the other clients it may gossip with (its own id is ignored)
     */
    public static FallbackClient create(FallbackSettings settings, Model template, Dataset localData,
                                        ReplicatedCluster cluster, Collection<String> peerIds) {
        return new FallbackClient(settings, template, localData, cluster, peerIds, "127.0.0.1", 0, null);
    }

    /**
     * As {@link #create(FallbackSettings, Model, Dataset, ReplicatedCluster, Collection)}, with its
     * gRPC server bound on {@code listenHost:listenPort} (0 for a free port), so peers configured
     * with that address can reach it, and naming the node's HTTP status address in its responses
     * ({@code httpAddress}, read per call; null for none): the form a {@code starling node} client uses.
     */
    public static FallbackClient create(FallbackSettings settings, Model template, Dataset localData,
                                        ReplicatedCluster cluster, Collection<String> peerIds, String listenHost,
                                        int listenPort, java.util.function.Supplier<String> httpAddress) {
        return new FallbackClient(settings, template, localData, cluster, peerIds, listenHost, listenPort,
                httpAddress);
    }

    /** The newest committed model the group served to this client, if any yet. */
    public java.util.Optional<ServedModel> lastServedModel() {
        return java.util.Optional.ofNullable(lastServed);
    }

    /** Bytes this client sent over its peer-to-peer (gossip, peer sampling) traffic. */
    public long gossipBytesUp() {
        return traffic.bytesUp();
    }

    /** Bytes this client received over its peer-to-peer traffic. */
    public long gossipBytesDown() {
        return traffic.bytesDown();
    }

    /** Peers whose address this client knows (configured and learned by peer sampling). */
    public java.util.Set<String> knownPeers() {
        return addresses.knownIds();
    }

    /** The gRPC addresses of the peers this client knows now, by id (itself excluded). */
    private java.util.Map<String, String> peerAddresses() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String peer : addresses.knownIds()) {
            if (!peer.equals(settings.clientId())) {
                addresses.addressOf(NodeId.of(peer)).ifPresent(a -> out.put(peer, a));
            }
        }
        return out;
    }

    /** Own updates (not hand-backs) that a committed checkpoint has acknowledged. */
    public long updatesAcknowledged() {
        return updatesAcked.get();
    }

    private void noteServed(Event e) {
        if (e instanceof Event.MessageReceived m && m.message() instanceof io.starling.protocol.message.UpdateAccepted) {
            updatesAcked.incrementAndGet();
        }
        if (e instanceof Event.MessageReceived m && m.message() instanceof io.starling.protocol.message.GlobalModel g) {
            synchronized (this) {
                ServedModel current = lastServed;
                if (current == null || g.version() > current.version()) {
                    lastServed = new ServedModel(g.version(), g.age(), g.params());
                }
            }
        }
    }

    public String id() {
        return settings.clientId();
    }

    /** "host:port" of this client's gRPC server. */
    public String address() {
        return server.address();
    }

    /** Tells this client where a peer listens. */
    public void learnPeer(String peerId, String address) {
        addresses.learn(NodeId.of(peerId), address);
    }

    /** Joins: asks the group for the latest committed model and starts the protocol's timers. */
    public void start() {
        mode = HybridState.CONNECTED;
        driver.submit(new Event.Start());
        log.info("{}: started (fallback after {} ms without a model, probe every {} ms, gossip every {} ms) on {}",
                id(), settings.fallbackTimeoutMs(), settings.probePeriodMs(), settings.gossipPeriodMs(), address());
    }

    /** CONNECTED (using the aggregator) or FALLBACK (gossiping); NEW before {@link #start}. */
    public HybridState mode() {
        return mode;
    }

    /** Every switch so far, oldest first. */
    public List<ModeSwitch> switches() {
        return List.copyOf(switches);
    }

    /** Gossip hand-backs that a committed checkpoint has acknowledged. */
    public long handBacksAcknowledged() {
        return link.handBacksAcknowledged();
    }

    /** Local trainings finished so far, in samples. */
    public long samplesTrained() {
        return trainer.samplesTrained();
    }

    /**
     * The model this client learns with now: its gossip model while in fallback, otherwise the
     * newest model it holds (the latest it trained, or the latest committed one).
     */
    public ParamVector currentModel() {
        try {
            return driver.query(() -> hybrid.state() == HybridState.FALLBACK
                    ? hybrid.gossipNode().model()
                    : hybrid.aggregatorClient().latestModel().orElse(initialModel)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the model of " + id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the model of " + id() + ": " + e, e);
        }
    }

    /** The age of the gossip model (updates absorbed); meaningful in fallback. */
    public double gossipAge() {
        try {
            return driver.query(() -> hybrid.gossipNode().age()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the gossip age of " + id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the gossip age of " + id() + ": " + e, e);
        }
    }

    private void observed(Observation o) {
        if (o instanceof Observation.ModeChanged m) {
            HybridState from = HybridState.valueOf(m.from());
            HybridState to = HybridState.valueOf(m.to());
            mode = to;
            switches.add(new ModeSwitch(System.currentTimeMillis(), from, to, m.cause()));
            if (to == HybridState.FALLBACK) {
                log.info("{}: switching to gossip learning with its peers: {}", id(), m.cause());
            } else {
                log.info("{}: a leader serves again; back to the replicated aggregator", id());
            }
        } else {
            log.debug("{}: {}", id(), o);
        }
    }

    /** Stops the protocol, training and gRPC server. */
    @Override
    public void close() {
        driver.close();
        messenger.close();
        server.shutdownGracefully(Duration.ofSeconds(1));
        channels.close();
        trainer.close();
    }
}
