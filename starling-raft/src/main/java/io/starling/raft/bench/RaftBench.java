package io.starling.raft.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.FedAvg;
import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.blob.LocalBlobReplicator;
import io.starling.raft.blob.Sha256;
import io.starling.raft.harness.ReplicaProcesses;
import io.starling.raft.harness.ReplicaStatus;
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

/**
 * Benchmarks of the replicated aggregator, written to {@code bench/results/raft.json}.
 *
 * <ol>
 *   <li><b>Failover</b>: three replica processes on 127.0.0.1 with Ratis' default election
 *       timeouts (150-300 ms); a client submits updates continuously; the leader is SIGKILLed
 *       {@code --kills} times. Measured from the kill to (a) the first checkpoint committed by a
 *       new leader (seen by polling the survivors every 5 ms) and (b) the client's first
 *       acknowledgement after the kill. The killed replica restarts; before each kill every
 *       follower has caught up with the leader, so each round measures a steady group.
 *   <li><b>Commit latency vs model size</b> (1, 10, 100 MB): three in-JVM replicas with directory
 *       blob stores; one update per checkpoint; submit-to-ack latency. Same-run baseline: the
 *       single-node work of one checkpoint (FedAvg, encode, SHA-256, fsynced store write), so
 *       the ratio is the price of replication.
 * </ol>
 * Usage: {@code RaftBench [--kills 20] [--sizes-mb 1,10,100] [--out bench/results/raft.json] [--work DIR]}.
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
        int[] sizesMb = Arrays.stream(opts.getOrDefault("sizes-mb", "1,10,100").split(",")).mapToInt(Integer::parseInt).toArray();
        Path out = Path.of(opts.getOrDefault("out", "bench/results/raft.json"));
        Path work = Path.of(opts.getOrDefault("work", Files.createTempDirectory("raft-bench").toString()));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "raft");
        result.put("timestamp", Instant.now().toString());
        result.put("java_version", System.getProperty("java.version"));
        result.put("available_processors", Runtime.getRuntime().availableProcessors());
        result.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (kills > 0) {
            result.put("failover", failover(work.resolve("failover"), kills));
        }
        if (sizesMb.length > 0 && sizesMb[0] > 0) {
            result.put("commit_latency_vs_model_size", commitLatency(work.resolve("sizes"), sizesMb));
        }
        result.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }

    // ---- failover ----------------------------------------------------------------------------

    private record Ack(long nanos, long version) {
    }

    private static Map<String, Object> failover(Path dir, int kills) throws Exception {
        int dim = 1024;
        List<Double> toCommitMs = new ArrayList<>();
        List<Double> toAckMs = new ArrayList<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService load = Executors.newSingleThreadExecutor();
        try (ReplicaProcesses replicas = new ReplicaProcesses(dir, 3, dim,
                List.of("--election-ms", "150:300", "--updates-per-checkpoint", "1", "--interval-ms", "20"))) {
            replicas.startAll(120_000);
            replicas.awaitLeader(60_000, 20).orElseThrow(() -> new IllegalStateException("no first leader"));
            var client = new io.starling.raft.aggregator.AggregatorClient("bench", replicas.endpoints(), 2_000, 10,
                    null, System::currentTimeMillis);
            load.submit(() -> {
                float[] w = new float[dim];
                long base = 0;
                for (int round = 0; !stop.get(); round++) {
                    Arrays.fill(w, round % 100);
                    var ack = client.submitUntilAcked(new ClientUpdate("bench/" + round, "bench", base,
                            ParamVector.of(w), 1, 0.1), 60_000);
                    base = ack.version();
                    acks.add(new Ack(System.nanoTime(), ack.version()));
                }
                return null;
            });
            for (int k = 0; k < kills; k++) {
                String leader = replicas.awaitLeader(60_000, 10).orElseThrow(() -> new IllegalStateException("no leader"));
                for (String id : replicas.ids()) {
                    if (!id.equals(leader)) {
                        awaitCaughtUp(replicas, id);
                    }
                }
                leader = replicas.awaitLeader(60_000, 10).orElseThrow(() -> new IllegalStateException("no leader"));
                String le = leader;
                long base = replicas.status(le).orElseThrow().latestVersion();
                long deadline = System.currentTimeMillis() + 30_000;
                while (replicas.status(le).map(ReplicaStatus::latestVersion).orElse(base) < base + 3
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                long vAtKill = replicas.status(le).map(ReplicaStatus::latestVersion).orElse(base);
                long t0 = System.nanoTime();
                replicas.kill9(leader);
                double commitMs = awaitCommitByOther(replicas, leader, vAtKill, t0);
                double ackMs = awaitAck(acks, t0, vAtKill);
                toCommitMs.add(commitMs);
                toAckMs.add(ackMs);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("killed", leader);
                r.put("version_at_kill", vAtKill);
                r.put("to_first_commit_by_new_leader_ms", commitMs);
                r.put("to_first_client_ack_ms", ackMs);
                rounds.add(r);
                System.err.printf("kill %d: %s, new commit after %.0f ms, first ack after %.0f ms%n", k + 1, leader, commitMs, ackMs);
                replicas.start(leader, 120_000);
            }
            stop.set(true);
        } finally {
            load.shutdownNow();
            load.awaitTermination(10, TimeUnit.SECONDS);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("setup", "3 replica JVMs on 127.0.0.1, Ratis gRPC, election timeout 150-300 ms (Ratis default), "
                + "1 update per checkpoint, 4 KB model, leader killed with SIGKILL");
        f.put("kills", kills);
        f.put("to_first_commit_by_new_leader_ms", stats(toCommitMs));
        f.put("to_first_client_ack_ms", stats(toAckMs));
        f.put("goal_p50_under_ms", 1000);
        f.put("rounds", rounds);
        return f;
    }

    /** Waits until replica {@code id} is within one version of the leader. */
    private static void awaitCaughtUp(ReplicaProcesses replicas, String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> leader = replicas.leader();
            if (leader.isPresent()) {
                long lv = replicas.status(leader.get()).map(ReplicaStatus::latestVersion).orElse(-1L);
                long rv = replicas.status(id).map(ReplicaStatus::latestVersion).orElse(-2L);
                if (rv >= lv - 1) {
                    break;
                }
            }
            Thread.sleep(50);
        }
    }

    private static double awaitCommitByOther(ReplicaProcesses replicas, String killed, long vAtKill, long t0)
            throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String id : replicas.ids()) {
                if (id.equals(killed)) {
                    continue;
                }
                Optional<ReplicaStatus> s = replicas.status(id);
                if (s.isPresent() && s.get().latestVersion() > vAtKill && !s.get().proposer().equals(killed)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            }
            Thread.sleep(5);
        }
        return Double.NaN;
    }

    private static double awaitAck(ConcurrentLinkedQueue<Ack> acks, long t0, long vAtKill) throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Ack a : acks) {
                if (a.nanos() > t0 && a.version() > vAtKill) {
                    return (a.nanos() - t0) / 1e6;
                }
            }
            Thread.sleep(5);
        }
        return Double.NaN;
    }

    // ---- commit latency vs model size ----------------------------------------------------------

    private static List<Map<String, Object>> commitLatency(Path dir, int[] sizesMb) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int mb : sizesMb) {
            int dim = mb * 1024 * 1024 / 4;
            int reps = mb >= 100 ? 3 : 5;
            Path run = dir.resolve(mb + "mb");
            ExecutorService io = Executors.newFixedThreadPool(4);
            LocalBlobReplicator replicator = new LocalBlobReplicator(io);
            AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                    .withUpdatesPerCheckpoint(1).withCheckpointIntervalMs(20).withTimeouts(120_000, 30_000);
            List<PeerAddress> peers = List.of(PeerAddress.loopback("s0"), PeerAddress.loopback("s1"), PeerAddress.loopback("s2"));
            List<ReplicatedAggregator> group = new ArrayList<>();
            ParamVector initial = ParamVector.zeros(dim);
            List<Double> commitMs = new ArrayList<>();
            List<Double> baselineMs = new ArrayList<>();
            try {
                for (PeerAddress p : peers) {
                    DirectoryBlobStore store = new DirectoryBlobStore(run.resolve(p.id()).resolve("blobs"), config.maxModelBytes());
                    replicator.register(p.id(), store);
                    group.add(new ReplicatedAggregator(config, p, peers, List.of(), run.resolve(p.id()), store, replicator,
                            initial, null).start());
                }
                ReplicatedAggregator leader = awaitInJvmLeader(group);
                DirectoryBlobStore scratch = new DirectoryBlobStore(run.resolve("baseline"), config.maxModelBytes());
                for (int r = 0; r < reps + 1; r++) {
                    float[] w = new float[dim];
                    Arrays.fill(w, r + 1);
                    ParamVector model = ParamVector.wrap(w);
                    long t = System.nanoTime();
                    ParamVector agg = new FedAvg().aggregate(initial, List.of(Contribution.ofClient(model, 1)));
                    byte[] bytes = agg.toBytes();
                    scratch.put(Sha256.hex(bytes), bytes);
                    double base = (System.nanoTime() - t) / 1e6;
                    ClientUpdate u = new ClientUpdate("size-" + mb + "/" + r, "bench",
                            leader.latest().orElseThrow().version(), model, 1, 0.1);
                    t = System.nanoTime();
                    leader.submit(u).get(180, TimeUnit.SECONDS);
                    double commit = (System.nanoTime() - t) / 1e6;
                    if (r > 0) {
                        baselineMs.add(base);
                        commitMs.add(commit);
                    }
                    System.err.printf("%d MB rep %d: commit %.0f ms, single-node baseline %.0f ms%n", mb, r, commit, base);
                }
            } finally {
                for (ReplicatedAggregator a : group) {
                    a.close();
                }
                io.shutdownNow();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model_mb", mb);
            m.put("reps", reps);
            m.put("submit_to_ack_ms", stats(commitMs));
            m.put("single_node_checkpoint_ms", stats(baselineMs));
            m.put("ratio_replicated_over_single_node_p50",
                    percentile(commitMs, 50) / Math.max(1e-9, percentile(baselineMs, 50)));
            out.add(m);
        }
        return out;
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

    private static Map<String, Object> stats(List<Double> xs) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", xs.size());
        s.put("p50", percentile(xs, 50));
        s.put("p95", percentile(xs, 95));
        s.put("max", xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        s.put("mean", xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
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
