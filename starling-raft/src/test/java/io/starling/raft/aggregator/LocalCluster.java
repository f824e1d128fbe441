package io.starling.raft.aggregator;

import io.starling.core.param.ParamVector;
import io.starling.net.fault.FaultInjector;
import io.starling.raft.blob.BlobReplicator;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.blob.LocalBlobReplicator;
import io.starling.raft.fault.FaultInjectingBlobReplicator;
import io.starling.raft.fault.FaultInjectingEndpoint;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.ratis.util.ExitUtils;
import org.awaitility.Awaitility;

/**
 * A group of real Ratis replicas on 127.0.0.1 in one JVM, each with its own data directory and
 * blob store, in the spirit of Ratis' MiniRaftCluster. Replicas can be killed (closed), restarted
 * (optionally with a wiped data directory) and added at run time.
 */
final class LocalCluster implements AutoCloseable {
    static {
        // Ratis stops the JVM when a server cannot start (e.g. its port is taken), which would end
        // the whole surefire fork with no report; as in Ratis' own MiniRaftCluster, make it throw.
        ExitUtils.disableSystemExit();
    }

    static final int DIM = 16;
    /**
     * How long tests wait for a serving leader: an election takes well under a second here, but
     * shared CI machines stall JVMs for seconds, and a wait bound is not a speed claim (failover
     * time is measured by {@code RaftBench}).
     */
    static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    final AggregatorConfig config;
    final Path root;
    final HistoryRecorder history;
    final LocalBlobReplicator replicator;
    final ParamVector initialModel = ParamVector.zeros(DIM);
    private final ExecutorService blobIo = Executors.newFixedThreadPool(4);
    private final Map<String, PeerAddress> voters = new LinkedHashMap<>();
    private final Map<String, ReplicatedAggregator> running = new LinkedHashMap<>();
    /** When set, each replica's blob transfers obey these rules (see {@link #withBlobFaults}). */
    private FaultInjector blobFaults;

    LocalCluster(int size, Path root, AggregatorConfig config) {
        this.root = root;
        this.config = config;
        this.history = HistoryRecorder.open(root.resolve("history.jsonl"));
        this.replicator = new LocalBlobReplicator(blobIo);
        for (int i = 0; i < size; i++) {
            PeerAddress a = PeerAddress.loopback("r" + i);
            voters.put(a.id(), a);
        }
    }

    static AggregatorConfig fastConfig() {
        return AggregatorConfig.defaults(UUID.randomUUID().toString())
                .withUpdatesPerCheckpoint(3)
                .withCheckpointIntervalMs(100)
                .withTimeouts(3_000, 3_000)
                // Wider than Ratis' 150-300 ms default: test machines are shared and a starved
                // JVM must not lose leadership between heartbeats. The benchmark uses defaults.
                .withElectionTimeoutMs(400, 800);
    }

    /** Makes every replica started from now on move blobs through {@code faults}' rules. */
    LocalCluster withBlobFaults(FaultInjector faults) {
        this.blobFaults = faults;
        return this;
    }

    LocalCluster startAll() {
        voters.keySet().forEach(this::start);
        return this;
    }

    ReplicatedAggregator start(String id) {
        return startWith(id, new ArrayList<>(voters.values()));
    }

    /** Starts a new replica with no peers, ready to be added by {@link ReplicatedAggregator#addPeer}. */
    ReplicatedAggregator startJoining(String id) {
        PeerAddress a = PeerAddress.loopback(id);
        voters.put(id, a);
        return startWith(id, List.of());
    }

    /**
     * Starts a non-voting listener that knows the current voters, ready to be added by
     * {@link ReplicatedAggregator#addPeer} with {@code asListener}.
     */
    ReplicatedAggregator startListener(String id) {
        List<PeerAddress> group = new ArrayList<>(voters.values());
        PeerAddress a = PeerAddress.loopback(id);
        voters.put(id, a);
        return startWith(id, group, List.of(a));
    }

    private ReplicatedAggregator startWith(String id, List<PeerAddress> group) {
        return startWith(id, group, List.of());
    }

    private ReplicatedAggregator startWith(String id, List<PeerAddress> group, List<PeerAddress> listeners) {
        PeerAddress self = voters.get(id);
        Path dir = root.resolve(id);
        DirectoryBlobStore store = new DirectoryBlobStore(dir.resolve("blobs"), config.maxModelBytes());
        BlobReplicator blobLinks = blobFaults == null ? replicator : new FaultInjectingBlobReplicator(id, replicator, blobFaults);
        ReplicatedAggregator r = new ReplicatedAggregator(config, self, group, listeners, dir, store, blobLinks,
                initialModel, history);
        try {
            r.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replicator.register(id, store);
        running.put(id, r);
        return r;
    }

    /** Stops a replica abruptly (no leadership hand-over); its data directory stays. */
    void kill(String id) {
        ReplicatedAggregator r = running.remove(id);
        replicator.deregister(id);
        if (r != null) {
            try {
                r.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void wipe(String id) {
        Path dir = root.resolve(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ReplicatedAggregator replica(String id) {
        return running.get(id);
    }

    List<ReplicatedAggregator> running() {
        return List.copyOf(running.values());
    }

    Optional<ReplicatedAggregator> currentLeader() {
        return running.values().stream().filter(ReplicatedAggregator::isLeader).findFirst();
    }

    ReplicatedAggregator awaitLeader(Duration within) {
        return Awaitility.await("a serving leader").atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> currentLeader().filter(l -> l.latest().isPresent()).orElse(null), l -> l != null);
    }

    /** Waits until every running replica holds the same chain as the leader, at least {@code minVersion} long. */
    List<CheckpointCommitted> awaitConverged(long minVersion, Duration within) {
        try {
            return Awaitility.await("replicas converge").atMost(within).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        List<List<CheckpointCommitted>> chains = running.values().stream().map(ReplicatedAggregator::chain).toList();
                        List<CheckpointCommitted> first = chains.getFirst();
                        boolean same = chains.stream().allMatch(first::equals);
                        return same && first.size() > minVersion ? first : null;
                    }, c -> c != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("replicas did not converge to a chain longer than " + minVersion + " within "
                    + within + ":\n" + describe(), e);
        }
    }

    /** One line per running replica: Raft role and log position, chain length and head. */
    String describe() {
        StringBuilder out = new StringBuilder();
        running.forEach((id, r) -> {
            out.append("  ").append(id).append(": ");
            try {
                out.append(r.raftRole()).append(' ').append(r.raftLogPosition());
                List<ReplicatedAggregator.FollowerProgress> followers = r.followerProgress();
                if (!followers.isEmpty()) {
                    out.append(", followers ").append(followers);
                }
            } catch (IOException | RuntimeException e) {
                out.append("raft state unavailable (").append(e).append(')');
            }
            List<CheckpointCommitted> chain = r.chain();
            out.append(", chain of ").append(chain.size());
            if (!chain.isEmpty()) {
                CheckpointCommitted head = chain.getLast();
                out.append(", head v").append(head.version()).append(" by ").append(head.proposer())
                        .append(" digest ").append(head.digest(), 0, Math.min(12, head.digest().length()));
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** The newest committed version any running replica has applied: what an honest client trains from. */
    long latestVersion() {
        return running.values().stream().mapToLong(r -> r.latest().map(CheckpointCommitted::version).orElse(0L))
                .max().orElse(0);
    }

    AggregatorClient client(String clientId) {
        return new AggregatorClient(clientId, running(), 1_500, 50, history, System::currentTimeMillis);
    }

    /** A client that reaches each replica through {@code faults}' rules, as node {@code clientId}. */
    AggregatorClient client(String clientId, FaultInjector faults) {
        List<FaultInjectingEndpoint> endpoints = running.values().stream()
                .map(r -> new FaultInjectingEndpoint(clientId, r, faults)).toList();
        return new AggregatorClient(clientId, endpoints, 1_500, 50, history, System::currentTimeMillis);
    }

    static ClientUpdate update(String clientId, int round, long baseVersion, float value) {
        float[] w = new float[DIM];
        java.util.Arrays.fill(w, value);
        return new ClientUpdate(clientId + "/" + round, clientId, baseVersion, ParamVector.wrap(w), 10, 0.5);
    }

    /** Records every running replica's final chain to the history. */
    void recordFinalChains() {
        running.forEach((id, r) -> history.finalChain(id, r.chain()));
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(running.keySet())) {
            try {
                kill(id);
            } catch (RuntimeException e) {
                // keep closing the others; the first failure is reported by the test itself
                System.err.println("closing " + id + " failed: " + e);
            }
        }
        blobIo.shutdownNow();
        history.close();
    }
}
