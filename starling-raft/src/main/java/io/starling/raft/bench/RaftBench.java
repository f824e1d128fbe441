package io.starling.raft.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobService;
import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.raft.aggregator.AckTimeoutException;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.GrpcBlobReplicator;
import io.starling.raft.blob.NetBlobStoreAdapter;
import io.starling.raft.blob.Sha256;
import io.starling.raft.harness.ReplicaProcesses;
import io.starling.raft.harness.ReplicaTimeline;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryEvent;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.state.CheckpointTiming;
import io.starling.raft.harness.ReplicaStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmarks of the replicated aggregator, written to {@code bench/results/raft.json}.
 *
 * <ol>
 *   <li><b>Failover</b>: three replica processes on 127.0.0.1 with {@link AggregatorConfig}
 *       defaults (Ratis' 150-300 ms election timeout); {@code --clients} clients submit updates
 *       back to back; the leader is SIGKILLed {@code --kills} times, each time once the group is
 *       steady (every replica has applied the leader's latest checkpoint and holds its blob, so a
 *       kill is a single fault). Measured from the kill to (a) the first checkpoint committed by a
 *       new leader (polling the survivors every 5 ms) and (b) the first client acknowledgement of
 *       an update committed after the kill; each round is broken down from the replicas'
 *       {@link ReplicaTimeline}s (elected, ready, batch taken, blob on a majority, committed) and
 *       the clients' history (when the acknowledged request was sent). The killed replica
 *       restarts. At the end the whole history (every replica incarnation and every client) goes
 *       through {@link HistoryChecker}.
 *   <li><b>Commit latency vs model size</b> (1, 10, 100 MB): see {@link #commitLatency}.
 * </ol>
 * Usage: {@code RaftBench [--kills 20] [--clients 4] [--sizes-mb 1,10,100] [--out bench/results/raft.json]
 * [--work DIR] [--note TEXT]}; {@code --kills 0} or {@code --sizes-mb 0} skips a part.
 */
public final class RaftBench {
    private RaftBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int kills = Integer.parseInt(opts.getOrDefault("kills", "20"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "4"));
        int[] sizesMb = Arrays.stream(opts.getOrDefault("sizes-mb", "1,10,100").split(",")).mapToInt(Integer::parseInt).toArray();
        Path out = Path.of(opts.getOrDefault("out", "bench/results/raft.json"));
        Path work = Path.of(opts.getOrDefault("work", Files.createTempDirectory("raft-bench").toString()));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "raft");
        result.put("timestamp", Instant.now().toString());
        result.put("java_version", System.getProperty("java.version"));
        result.put("available_processors", Runtime.getRuntime().availableProcessors());
        result.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        result.put("pressure_at_start", pressure());
        if (opts.containsKey("note")) {
            result.put("note", opts.get("note"));
        }
        if (kills > 0) {
            result.put("failover", failover(work.resolve("failover"), kills, clients));
            result.put("load_average_after_failover", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            write(out, result);
        }
        if (sizesMb.length > 0 && sizesMb[0] > 0) {
            result.put("commit_latency_vs_model_size", commitLatency(work.resolve("sizes"), sizesMb));
        }
        result.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        result.put("pressure_at_end", pressure());
        write(out, result);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }

    /**
     * Linux pressure-stall figures ({@code /proc/pressure/cpu} and {@code io}, "some" line): the
     * share of time in which runnable tasks waited for a CPU or for IO, a direct measure of how much
     * other work on the machine competed with the benchmark. Empty where the kernel has no PSI.
     */
    private static Map<String, String> pressure() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String resource : List.of("cpu", "io")) {
            try {
                Files.readAllLines(Path.of("/proc/pressure/" + resource)).stream()
                        .filter(l -> l.startsWith("some")).findFirst().ifPresent(l -> out.put(resource, l));
            } catch (IOException e) {
                out.put(resource, "unavailable: " + e.getMessage());
            }
        }
        return out;
    }

    /** Writes the results so far (a long run that fails later keeps what it measured). */
    private static void write(Path out, Map<String, Object> result) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    }

    // ---- failover ----------------------------------------------------------------------------

    /** An acknowledgement seen by a bench client. */
    private record Ack(long nanos, String updateId, long version) {
    }

    /** Replica settings of the failover run: {@link AggregatorConfig#defaults} spelled out for the harness. */
    private static List<String> defaultReplicaArgs(Path timelines) {
        AggregatorConfig d = AggregatorConfig.defaults(UUID.randomUUID().toString());
        return List.of("--election-ms", d.electionTimeoutMinMs() + ":" + d.electionTimeoutMaxMs(),
                "--updates-per-checkpoint", Integer.toString(d.updatesPerCheckpoint()),
                "--interval-ms", Long.toString(d.checkpointIntervalMs()),
                "--snapshot-every", Long.toString(d.snapshotEveryEntries()),
                "--timeline-dir", timelines.toString());
    }

    private static Map<String, Object> failover(Path dir, int kills, int clients) throws Exception {
        int dim = 1024;
        Path timelines = dir.resolve("timelines");
        Files.createDirectories(timelines);
        List<Double> toCommitMs = new ArrayList<>();
        List<Double> toAckMs = new ArrayList<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ackTimeouts = new AtomicLong();
        ExecutorService load = Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<?>> loadRuns = new ArrayList<>();
        HistoryRecorder clientHistory = HistoryRecorder.open(dir.resolve("clients-history.jsonl"));
        Map<String, Object> f = new LinkedHashMap<>();
        try (ReplicaProcesses replicas = new ReplicaProcesses(dir, 3, dim, defaultReplicaArgs(timelines))) {
            replicas.startAll(120_000);
            replicas.awaitLeader(60_000, 20).orElseThrow(() -> new IllegalStateException("no first leader"));
            for (int c = 0; c < clients; c++) {
                String id = "c" + c;
                AggregatorClient client = new AggregatorClient(id, replicas.endpoints(), CLIENT_ATTEMPT_TIMEOUT_MS,
                        CLIENT_RETRY_BACKOFF_MS, clientHistory, System::currentTimeMillis);
                loadRuns.add(load.submit(() -> {
                    float[] w = new float[dim];
                    long base = 0;
                    for (int round = 0; !stop.get(); round++) {
                        Arrays.fill(w, round % 100);
                        ClientUpdate u = new ClientUpdate(id + "/" + round, id, base, ParamVector.of(w), 1, 0.1);
                        try {
                            var ack = client.submitUntilAcked(u, 60_000);
                            base = ack.version();
                            acks.add(new Ack(System.nanoTime(), ack.updateId(), ack.version()));
                        } catch (AckTimeoutException e) {
                            ackTimeouts.incrementAndGet();
                            System.err.println("client " + id + ": " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (int k = 0; k < kills; k++) {
                requireClientsRunning(loadRuns);
                String leader = awaitSteadyGroup(replicas);
                long vAtKill = replicas.status(leader).map(ReplicaStatus::latestVersion).orElse(-1L);
                long t0Ms = CheckpointTiming.nowMs();
                long t0 = System.nanoTime();
                replicas.kill9(leader);
                Optional<String> newLeader = awaitCommitByOther(replicas, leader, vAtKill, t0);
                double commitMs = newLeader.isPresent() ? (System.nanoTime() - t0) / 1e6 : Double.NaN;
                // The dead leader may have committed a version after vAtKill was read; acks of
                // such versions arriving after the kill are not the new leader's work.
                long firstNewVersion = newLeader.isPresent()
                        ? firstVersionNotBy(replicas, leader, vAtKill) : Long.MAX_VALUE;
                Optional<Ack> firstAck = awaitAck(acks, t0, firstNewVersion);
                double ackMs = firstAck.map(a -> (a.nanos() - t0) / 1e6).orElse(Double.NaN);
                toCommitMs.add(commitMs);
                toAckMs.add(ackMs);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("killed", leader);
                r.put("killed_at", java.time.Instant.ofEpochMilli(t0Ms).toString());
                r.put("version_at_kill", vAtKill);
                r.put("new_leader", newLeader.orElse(""));
                r.put("to_first_commit_by_new_leader_ms", Double.isFinite(commitMs) ? commitMs : null);
                r.put("to_first_client_ack_ms", Double.isFinite(ackMs) ? ackMs : null);
                if (newLeader.isPresent()) {
                    Map<String, Double> b = breakdown(timelines, clientHistory, newLeader.get(), vAtKill, t0Ms,
                            firstAck.map(Ack::updateId));
                    r.put("breakdown_ms_since_kill", b);
                    b.forEach((phase, ms) -> phases.computeIfAbsent(phase, x -> new ArrayList<>()).add(ms));
                }
                rounds.add(r);
                System.err.printf("kill %d: %s (v%d), %s committed after %.0f ms, first ack after %.0f ms %s%n", k + 1,
                        leader, vAtKill, newLeader.orElse("nobody"), commitMs, ackMs, r.get("breakdown_ms_since_kill"));
                replicas.start(leader, 120_000);
            }
            awaitSteadyGroup(replicas);
            stop.set(true);
            for (var run : loadRuns) {
                run.get(120, TimeUnit.SECONDS);
            }
            f.put("history_check", checkHistory(replicas, dir, clientHistory));
        } finally {
            stop.set(true);
            load.shutdownNow();
            load.awaitTermination(10, TimeUnit.SECONDS);
            clientHistory.close();
        }
        f.put("setup", "3 replica JVMs on 127.0.0.1 (Ratis over gRPC; clients and blobs over the gRPC Aggregator and Blob services), "
                + "AggregatorConfig defaults (election timeout 150-300 ms, 4 updates per checkpoint, 200 ms interval), "
                + clients + " clients submitting back to back (attempt timeout " + CLIENT_ATTEMPT_TIMEOUT_MS
                + " ms, retry backoff " + CLIENT_RETRY_BACKOFF_MS + " ms), 4 KB model, leader killed with SIGKILL "
                + "once every live replica holds the leader's latest checkpoint and its blob");
        f.put("kills", kills);
        f.put("to_first_commit_by_new_leader_ms", stats(toCommitMs));
        f.put("to_first_client_ack_ms", stats(toAckMs));
        Map<String, Object> phaseStats = new LinkedHashMap<>();
        phases.forEach((phase, xs) -> phaseStats.put(phase, stats(xs)));
        f.put("breakdown_ms_since_kill", phaseStats);
        f.put("client_ack_timeouts", ackTimeouts.get());
        f.put("goal_p50_under_ms", 1000);
        f.put("rounds", rounds);
        return f;
    }

    private static final long CLIENT_ATTEMPT_TIMEOUT_MS = 5_000;
    private static final long CLIENT_RETRY_BACKOFF_MS = 100;

    private static void requireClientsRunning(List<java.util.concurrent.Future<?>> runs) throws Exception {
        for (var run : runs) {
            if (run.isDone()) {
                run.get(); // surfaces the client's failure
                throw new IllegalStateException("a bench client stopped");
            }
        }
    }

    /**
     * Waits until the group is steady, so that each kill is a single fault: every replica runs, one
     * is the serving leader and all agree on it, and every replica has applied the leader's latest
     * checkpoint (at least three past genesis) and holds its verified blob. Returns the leader.
     */
    private static String awaitSteadyGroup(ReplicaProcesses replicas) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "no status yet";
        while (System.currentTimeMillis() < deadline) {
            Optional<String> leader = replicas.leader();
            if (leader.isPresent()) {
                long lv = replicas.status(leader.get()).map(ReplicaStatus::latestVersion).orElse(-1L);
                boolean steady = lv >= 3;
                StringBuilder why = new StringBuilder("leader " + leader.get() + " at v" + lv);
                for (String id : replicas.ids()) {
                    Optional<ReplicaStatus> s = replicas.isRunning(id) ? replicas.status(id) : Optional.empty();
                    long rv = s.map(ReplicaStatus::latestVersion).orElse(-2L);
                    boolean blob = s.map(ReplicaStatus::holdsLatestBlob).orElse(false);
                    // Every replica follows the one leader (none still believes it leads itself).
                    boolean follows = s.map(x -> x.leader().equals(leader.get()) && x.isLeader() == id.equals(leader.get()))
                            .orElse(false);
                    steady &= rv >= lv && blob && follows;
                    why.append(", ").append(id).append(" v").append(rv).append(blob ? "" : " (no blob)")
                            .append(follows ? "" : " (leader " + s.map(ReplicaStatus::leader).orElse("?") + ")");
                }
                if (steady) {
                    return leader.get();
                }
                last = why.toString();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("group not steady within 120 s: " + last);
    }

    /** The replica (not {@code killed}) that committed the first version after {@code vAtKill}. */
    private static Optional<String> awaitCommitByOther(ReplicaProcesses replicas, String killed, long vAtKill, long t0)
            throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String id : replicas.ids()) {
                if (id.equals(killed)) {
                    continue;
                }
                Optional<ReplicaStatus> s = replicas.status(id);
                if (s.isPresent() && s.get().latestVersion() > vAtKill && !s.get().proposer().equals(killed)) {
                    return Optional.of(s.get().proposer());
                }
            }
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    /** The first version after {@code vAtKill} that {@code killed} did not propose, from a survivor's chain. */
    private static long firstVersionNotBy(ReplicaProcesses replicas, String killed, long vAtKill) {
        for (String id : replicas.ids()) {
            if (id.equals(killed)) {
                continue;
            }
            try {
                Optional<Long> v = replicas.chain(id).stream()
                        .filter(c -> c.version() > vAtKill && !c.proposer().equals(killed))
                        .map(io.starling.raft.log.CheckpointCommitted::version).findFirst();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (RuntimeException e) {
                System.err.println("no chain from " + id + " (trying the next survivor): " + e);
            }
        }
        return Long.MAX_VALUE;
    }

    /** The first acknowledgement after the kill of an update committed in {@code firstNewVersion} or later. */
    private static Optional<Ack> awaitAck(ConcurrentLinkedQueue<Ack> acks, long t0, long firstNewVersion)
            throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<Ack> first = acks.stream().filter(a -> a.nanos() > t0 && a.version() >= firstNewVersion)
                    .min(java.util.Comparator.comparingLong(Ack::nanos));
            if (first.isPresent()) {
                return first;
            }
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    /**
     * Where the time of one failover went, in ms since the kill, from the replicas' timelines and
     * the clients' history: the new leader elected (Ratis election timeout, pre-vote and vote),
     * ready (its first entry of the term committed and applied), the client request that was
     * acknowledged first sent, the first batch taken, the blob pushed and held by a majority, the
     * checkpoint committed and applied, and the client's acknowledgement.
     */
    private static Map<String, Double> breakdown(Path timelines, HistoryRecorder clientHistory, String newLeader,
                                                 long vAtKill, long t0Ms, Optional<String> ackedUpdate) throws IOException {
        List<Path> files;
        try (var list = Files.list(timelines)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("timeline-" + newLeader + "-")).toList();
        }
        List<ReplicaTimeline.Event> events = ReplicaTimeline.read(files).stream().filter(e -> e.atMs() >= t0Ms).toList();
        Map<String, Double> b = new LinkedHashMap<>();
        events.stream().filter(e -> e.kind() == ReplicaTimeline.Kind.LEADER_CHANGED && newLeader.equals(e.leader()))
                .findFirst().ifPresent(e -> b.put("elected", (double) (e.atMs() - t0Ms)));
        events.stream().filter(e -> e.kind() == ReplicaTimeline.Kind.LEADER_READY)
                .findFirst().ifPresent(e -> b.put("leader_ready", (double) (e.atMs() - t0Ms)));
        if (ackedUpdate.isPresent()) {
            List<HistoryEvent> h = clientHistory.events();
            long ackAt = h.stream().filter(e -> e.type() == HistoryEvent.Type.ACK && ackedUpdate.get().equals(e.updateId()))
                    .mapToLong(HistoryEvent::timeMs).findFirst().orElse(Long.MAX_VALUE);
            h.stream().filter(e -> (e.type() == HistoryEvent.Type.SUBMIT || e.type() == HistoryEvent.Type.RESEND)
                            && ackedUpdate.get().equals(e.updateId()) && e.timeMs() <= ackAt)
                    .reduce((a, c) -> c)
                    .ifPresent(e -> b.put("acked_request_sent", (double) (e.timeMs() - t0Ms)));
        }
        events.stream().filter(e -> e.kind() == ReplicaTimeline.Kind.CHECKPOINT_TIMING && e.version() > vAtKill)
                .findFirst().ifPresent(e -> {
                    CheckpointTiming t = e.timing();
                    b.put("batch_taken", (double) (t.batchTakenAtMs() - t0Ms));
                    b.put("blob_push_started", (double) (t.replicationStartedAtMs() - t0Ms));
                    b.put("blob_on_majority", (double) (t.blobReplicatedAtMs() - t0Ms));
                    b.put("committed_on_leader", (double) (t.appliedAtMs() - t0Ms));
                });
        return b;
    }

    /** Waits (bounded) until the clients' last checkpoint is applied everywhere. */
    private static void awaitIdenticalChains(ReplicaProcesses replicas) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<List<io.starling.raft.log.CheckpointCommitted>> chains = replicas.ids().stream()
                    .map(id -> replicas.chain(id)).toList();
            if (chains.stream().allMatch(chains.getFirst()::equals)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Map<String, Object> checkHistory(ReplicaProcesses replicas, Path dir, HistoryRecorder clientHistory)
            throws IOException {
        awaitIdenticalChains(replicas);
        for (String id : replicas.ids()) {
            clientHistory.finalChain(id, replicas.chain(id));
        }
        List<Path> files = new ArrayList<>(replicas.historyFiles());
        files.add(dir.resolve("clients-history.jsonl"));
        HistoryChecker.Result result = HistoryChecker.check(HistoryRecorder.read(files));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", result.ok());
        out.put("acks", result.acks());
        out.put("commits", result.commits());
        out.put("violations", result.violations().stream().map(Object::toString).toList());
        return out;
    }

    // ---- commit latency vs model size ----------------------------------------------------------

    /**
     * Three in-JVM replicas, each with its own Ratis server and gRPC {@code Blob} service on
     * 127.0.0.1 (blobs travel over real loopback sockets, are verified and fsynced by every
     * receiver); one update per checkpoint; submit-to-ack latency, broken down with the leader's
     * {@link CheckpointTiming}. Same-run baselines on the same file system: the single-node work of
     * one checkpoint (FedAvg, encode, SHA-256, fsynced store write) and a bare write + fsync of the
     * same bytes.
     */
    private static List<Map<String, Object>> commitLatency(Path dir, int[] sizesMb) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int mb : sizesMb) {
            int dim = mb * 1024 * 1024 / 4;
            int reps = mb >= 100 ? 3 : mb >= 10 ? 5 : 10;
            Path run = dir.resolve(mb + "mb");
            List<AutoCloseable> closeables = new ArrayList<>();
            ExecutorService transfers = Executors.newCachedThreadPool();
            AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                    .withUpdatesPerCheckpoint(1).withTimeouts(120_000, 60_000);
            List<PeerAddress> peers = List.of(PeerAddress.loopback("s0"), PeerAddress.loopback("s1"), PeerAddress.loopback("s2"));
            Map<String, String> blobAddresses = new LinkedHashMap<>();
            for (PeerAddress p : peers) {
                blobAddresses.put(p.id(), "127.0.0.1:" + freePort());
            }
            List<ReplicatedAggregator> group = new ArrayList<>();
            ParamVector initial = ParamVector.zeros(dim);
            Map<Long, CheckpointTiming> timings = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            try {
                for (PeerAddress p : peers) {
                    LocalNode node = LocalNode.of(p.id(), blobAddresses.get(p.id()));
                    NetBlobStoreAdapter store = new NetBlobStoreAdapter(
                            io.starling.net.blob.BlobStore.open(run.resolve(p.id()).resolve("blobs")));
                    String[] hostPort = blobAddresses.get(p.id()).split(":");
                    closeables.add(NetServer.builder(hostPort[0], Integer.parseInt(hostPort[1]), TransportOptions.defaults())
                            .addService(new BlobService(store.netStore(), node)).start());
                    PeerChannels channels = new PeerChannels(node, TransportOptions.defaults(), null);
                    closeables.add(channels);
                    Map<String, String> others = new LinkedHashMap<>(blobAddresses);
                    others.remove(p.id());
                    ReplicatedAggregator replica = new ReplicatedAggregator(config, p, peers, List.of(), run.resolve(p.id()),
                            store, new GrpcBlobReplicator(channels, node, others, store, transfers), initial, null);
                    replica.addListener(new io.starling.raft.state.ReplicaEvents() {
                        @Override
                        public void onCheckpointTiming(CheckpointTiming timing) {
                            timings.put(timing.version(), timing);
                        }
                    });
                    closeables.add(replica);
                    group.add(replica.start());
                }
                awaitInJvmLeader(group);
                // Follows the leader should it change under load; one attempt may take a while for 100 MB.
                AggregatorClient client = new AggregatorClient("bench", group, 120_000, 10, null, System::currentTimeMillis);
                NetBlobStoreAdapter scratch = new NetBlobStoreAdapter(io.starling.net.blob.BlobStore.open(run.resolve("baseline")));
                long base = 0;
                for (int r = 0; r < reps + 1; r++) {
                    float[] w = new float[dim];
                    Arrays.fill(w, r + 1);
                    ParamVector model = ParamVector.wrap(w);
                    long t = System.nanoTime();
                    ParamVector agg = new FedAvg().aggregate(initial, List.of(Contribution.ofClient(model, 1)));
                    byte[] bytes = agg.toBytes();
                    scratch.put(Sha256.hex(bytes), bytes);
                    double singleNode = (System.nanoTime() - t) / 1e6;
                    double writeFsync = writeAndFsync(run.resolve("baseline-" + r + ".bin"), bytes);
                    ClientUpdate u = new ClientUpdate("size-" + mb + "/" + r, "bench", base, model, 1, 0.1);
                    t = System.nanoTime();
                    long version = client.submitUntilAcked(u, 300_000).version();
                    base = version;
                    double commit = (System.nanoTime() - t) / 1e6;
                    CheckpointTiming timing = timings.get(version);
                    if (r > 0) {
                        series.computeIfAbsent("submit_to_ack_ms", x -> new ArrayList<>()).add(commit);
                        series.computeIfAbsent("single_node_checkpoint_ms", x -> new ArrayList<>()).add(singleNode);
                        series.computeIfAbsent("write_and_fsync_ms", x -> new ArrayList<>()).add(writeFsync);
                        if (timing != null) {
                            series.computeIfAbsent("leader_aggregate_encode_hash_ms", x -> new ArrayList<>())
                                    .add((double) (timing.replicationStartedAtMs() - timing.batchTakenAtMs()));
                            series.computeIfAbsent("leader_blob_to_majority_ms", x -> new ArrayList<>())
                                    .add((double) (timing.blobReplicatedAtMs() - timing.replicationStartedAtMs()));
                            series.computeIfAbsent("leader_raft_commit_and_apply_ms", x -> new ArrayList<>())
                                    .add((double) (timing.appliedAtMs() - timing.blobReplicatedAtMs()));
                        }
                    }
                    System.err.printf("%d MB rep %d: commit %.0f ms (%s), single-node %.0f ms, write+fsync %.0f ms%n",
                            mb, r, commit, timing, singleNode, writeFsync);
                    Files.deleteIfExists(run.resolve("baseline-" + r + ".bin"));
                }
            } finally {
                for (int i = closeables.size() - 1; i >= 0; i--) {
                    closeables.get(i).close();
                }
                transfers.shutdownNow();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model_mb", mb);
            m.put("reps", reps);
            series.forEach((name, xs) -> m.put(name, stats(xs)));
            double p50 = percentile(series.get("submit_to_ack_ms"), 50);
            m.put("ratio_replicated_over_single_node_p50", p50 / percentile(series.get("single_node_checkpoint_ms"), 50));
            m.put("ratio_replicated_over_write_and_fsync_p50", p50 / percentile(series.get("write_and_fsync_ms"), 50));
            out.add(m);
        }
        return out;
    }

    /** Writes {@code bytes} to a new file and fsyncs it; returns the milliseconds taken. */
    private static double writeAndFsync(Path file, byte[] bytes) throws IOException {
        long t = System.nanoTime();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }

    private static ReplicatedAggregator awaitInJvmLeader(List<ReplicatedAggregator> group) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (ReplicatedAggregator a : group) {
                if (a.isLeader() && a.latest().isPresent()) {
                    return a;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader with genesis within 60 s");
    }

    // ---- statistics ----------------------------------------------------------------------------

    /** Percentiles of the finite values; {@code missing} counts rounds that measured nothing (NaN). */
    private static Map<String, Object> stats(List<Double> all) {
        List<Double> xs = all.stream().filter(Double::isFinite).toList();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", xs.size());
        s.put("missing", all.size() - xs.size());
        s.put("p50", percentile(xs, 50));
        s.put("p95", percentile(xs, 95));
        s.put("max", xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        s.put("mean", xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        s.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
        return s;
    }

    /** Nearest-rank percentile. */
    private static double percentile(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
