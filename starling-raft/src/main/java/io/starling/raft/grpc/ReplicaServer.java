package io.starling.raft.grpc;

import io.starling.core.param.ParamVector;
import io.starling.net.aggregator.AggregatorService;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.fault.FaultControlService;
import io.starling.net.fault.FaultInjector;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.BlobReplicator;
import io.starling.raft.blob.GrpcBlobReplicator;
import io.starling.raft.blob.NetBlobStoreAdapter;
import io.starling.raft.fault.FaultInjectingBlobReplicator;
import io.starling.raft.fault.RaftFaultInjection;
import io.starling.raft.history.HistoryRecorder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of the replicated aggregator on the network: a {@link ReplicatedAggregator} whose
 * blobs live in {@code starling-net}'s {@link BlobStore}, replicated to its peers over their
 * {@code Blob} services ({@link GrpcBlobReplicator}), and one gRPC server that serves
 * {@code Aggregator} ({@link ReplicaBackend}), {@code Blob} and {@code Cluster}
 * ({@link ClusterService}). The Raft traffic itself runs on Ratis' own gRPC port. Membership
 * changes over {@code Cluster} need the spec's {@link AdminToken}, or come from the replica's own
 * host when it has none ({@link ClusterAdminGuard}).
 */
public final class ReplicaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaServer.class);

    private final ReplicaSpec spec;
    private final ReplicatedAggregator replica;
    private final ReplicaBackend backend;
    private final MemberDirectory directory;
    private final PeerChannels channels;
    private final ExecutorService transfers;
    private final NetServer server;
    private final RaftFaultInjection raftFaults;
    private final ServingGate gate;

    private ReplicaServer(ReplicaSpec spec, ReplicatedAggregator replica, ReplicaBackend backend,
                          MemberDirectory directory, PeerChannels channels, ExecutorService transfers, NetServer server,
                          RaftFaultInjection raftFaults, ServingGate gate) {
        this.spec = spec;
        this.replica = replica;
        this.backend = backend;
        this.directory = directory;
        this.channels = channels;
        this.transfers = transfers;
        this.server = server;
        this.raftFaults = raftFaults;
        this.gate = gate;
    }

    /**
     * Binds the gRPC server, then starts the Raft replica (which joins the election or waits to
     * be added). While Ratis starts (and loads its log and snapshot) the {@code Aggregator} and
     * {@code Cluster} services answer UNAVAILABLE saying the replica is starting; they serve once
     * this returns.
     *
     * @param history where to record commits, or null
     */
    public static ReplicaServer start(ReplicaSpec spec, ParamVector genesis, HistoryRecorder history) throws IOException {
        return start(spec, genesis, history, null);
    }

    /**
     * As {@link #start(ReplicaSpec, ParamVector, HistoryRecorder)}, naming the node's HTTP status
     * address in every gRPC response (so {@code starling status --target} works with the
     * replica's gRPC address).
     *
     * @param httpAddress the HTTP "host:port" to advertise, read per call; null for none
     */
    public static ReplicaServer start(ReplicaSpec spec, ParamVector genesis, HistoryRecorder history,
                                      java.util.function.Supplier<String> httpAddress) throws IOException {
        return start(spec, genesis, history, httpAddress, null);
    }

    /**
     * As {@link #start(ReplicaSpec, ParamVector, HistoryRecorder, java.util.function.Supplier)},
     * <b>for fault testing</b>: with {@code faults} non-null, this replica's Raft traffic
     * ({@link RaftFaultInjection}, one per JVM, so one such replica per process) and its blob
     * transfers ({@link FaultInjectingBlobReplicator}) obey {@code faults}' rules, keyed by replica
     * id, and the gRPC server also serves {@link FaultControlService}, so a test in another process
     * can cut and heal links at run time.
     *
     * @param faults the rules to apply, or null for a replica without fault injection (the default)
     */
    public static ReplicaServer start(ReplicaSpec spec, ParamVector genesis, HistoryRecorder history,
                                      java.util.function.Supplier<String> httpAddress, FaultInjector faults)
            throws IOException {
        ReplicaServer bound = bind(spec, genesis, history, httpAddress, faults);
        try {
            bound.startReplica();
        } catch (IOException | RuntimeException e) {
            bound.closeAfterFailedStart(e);
            throw e;
        }
        return bound;
    }

    /**
     * Builds the replica and binds its gRPC server without starting Raft: {@code Blob} serves at
     * once, {@code Aggregator} and {@code Cluster} answer UNAVAILABLE ({@link ServingGate}) until
     * {@link #startReplica}. {@link #start} does both; tests call them apart to see the window
     * between them.
     */
    static ReplicaServer bind(ReplicaSpec spec, ParamVector genesis, HistoryRecorder history,
                              java.util.function.Supplier<String> httpAddress, FaultInjector faults) {
        BlobStore netStore = BlobStore.open(spec.dataDir().resolve("blobs"), spec.aggregator().maxModelBytes(),
                Clock.systemUTC());
        NetBlobStoreAdapter store = new NetBlobStoreAdapter(netStore);
        LocalNode self = LocalNode.of(spec.self().id(), spec.grpcAddress());
        Map<String, String> startup = new HashMap<>(spec.grpcAddresses());
        startup.put(spec.self().id(), spec.grpcAddress());
        // Short channel-level retries: a dead peer must fail a push or fetch quickly, the leader
        // needs a majority, not every peer, and a fetch moves on to the next peer.
        PeerChannels channels = new PeerChannels(self, GrpcAggregatorEndpoint.channelOptions(), null);
        ExecutorService transfers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "blob-transfer-" + spec.self().id());
            t.setDaemon(true);
            return t;
        });
        // The directory reads the replica's applied settings; the replica needs the replicator, which
        // needs the directory: the reference closes the loop once the replica exists.
        AtomicReference<ReplicatedAggregator> replicaRef = new AtomicReference<>();
        MemberDirectory directory = new MemberDirectory(startup, () -> replicaRef.get().stateMachine().settings());
        GrpcBlobReplicator replicator = new GrpcBlobReplicator(channels, self,
                id -> directory.grpcAddress(id).orElse(null), store, transfers);
        BlobReplicator blobs = faults == null ? replicator
                : new FaultInjectingBlobReplicator(spec.self().id(), replicator, faults);
        ReplicatedAggregator replica = new ReplicatedAggregator(spec.aggregator(), spec.self(), spec.voters(),
                java.util.List.of(), spec.dataDir(), store, blobs, genesis, history);
        replicaRef.set(replica);
        ReplicaBackend backend = new ReplicaBackend(replica, directory, spec.taskId(), spec.modelSpec(), genesis);
        ServingGate gate = new ServingGate(spec.self().id());
        NetServer.Builder builder = NetServer.builder(spec.grpcHost(), spec.grpcPort(), TransportOptions.defaults())
                .addService(new AggregatorService(backend, netStore, self))
                .addService(new BlobService(netStore, self))
                .addService(new ClusterService(replica, backend, directory, self))
                .intercept(gate)
                .intercept(new ClusterAdminGuard(spec.self().id(), spec.adminToken()));
        if (httpAddress != null) {
            builder.advertiseHttpAddress(httpAddress);
        }
        if (faults != null) {
            builder.addService(new FaultControlService(faults));
        }
        RaftFaultInjection raftFaults = null;
        try {
            raftFaults = faults == null ? null : RaftFaultInjection.install(faults);
            NetServer server = builder.start();
            return new ReplicaServer(spec, replica, backend, directory, channels, transfers, server, raftFaults, gate);
        } catch (RuntimeException e) {
            try {
                closeParts(replica, backend, channels, transfers, raftFaults);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Starts the Raft replica (it joins the election or waits to be added), then opens the gate. */
    void startReplica() throws IOException {
        replica.start();
        gate.transitionToServing();
        LOG.info("replica {} serves Aggregator, Blob and Cluster on {} (Raft on {})", spec.self().id(),
                server.address(), spec.self().hostPort());
    }

    public ReplicatedAggregator replica() {
        return replica;
    }

    public MemberDirectory directory() {
        return directory;
    }

    public String grpcAddress() {
        return server.address();
    }

    public ReplicaSpec spec() {
        return spec;
    }

    private void closeAfterFailedStart(Exception failure) {
        try {
            close();
        } catch (IOException | RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * Refuses new Aggregator and Cluster calls, stops serving, then stops the replica, the
     * outgoing channels and, last and whatever failed before, the Raft fault hook if this replica
     * installed one (it is global to the JVM, so it must never outlive the replica).
     */
    @Override
    public void close() throws IOException {
        gate.transitionToStopping();
        try {
            server.shutdownGracefully(Duration.ofSeconds(1));
        } finally {
            closeParts(replica, backend, channels, transfers, raftFaults);
        }
    }

    private static void closeParts(ReplicatedAggregator replica, ReplicaBackend backend, PeerChannels channels,
                                   ExecutorService transfers, RaftFaultInjection raftFaults) throws IOException {
        try {
            try {
                replica.close();
            } finally {
                backend.close();
                channels.close();
                transfers.shutdownNow();
            }
        } finally {
            if (raftFaults != null) {
                raftFaults.close();
            }
        }
    }
}
