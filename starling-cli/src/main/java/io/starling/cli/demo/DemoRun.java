package io.starling.cli.demo;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code starling demo} orchestrator: shows that the aggregator is not a single point of
 * failure.
 *
 * <ol>
 *   <li>Starts {@code replicas} aggregator replicas as separate JVMs on 127.0.0.1 (Ratis gRPC
 *       between them, clients over each replica's gRPC Aggregator, Blob and Cluster services;
 *       {@link io.starling.raft.harness.ReplicaProcessMain}), with the seeded
 *       initial model as genesis.
 *   <li>Starts {@code clients} client threads, each with its own Dirichlet partition of mnist10k,
 *       model instance and {@link AggregatorClient}: train one epoch from the latest committed
 *       model, submit until acknowledged (resending to the next leader), repeat.
 *   <li>SIGKILLs the serving leader {@code kills} times, evenly spread, measuring the time to
 *       the new leader's election and to its first committed checkpoint; restarts the killed
 *       replica after a pause.
 *   <li>Evaluates the latest committed model on the test split every two seconds.
 *   <li>Stops the clients, checks that every acknowledged update is in the committed chain, that
 *       the replicas agree, and that the recorded history is valid; writes the report.
 * </ol>
 * Every process it starts is killed when it returns or throws, and on Ctrl-C.
 */
public final class DemoRun {
    /**
     * Replica settings: a leader checkpoints as soon as every client has submitted, and also
     * whatever is pending every {@value #CHECKPOINT_INTERVAL_MS} ms (so a slow or failing-over
     * client does not hold the others back for long); election timeouts of 600-1200 ms, above
     * Ratis' 150-300 ms default, because the replicas share the machine with the training clients
     * and a starved leader that misses its heartbeats would otherwise step down without being killed.
     */
    static final long CHECKPOINT_INTERVAL_MS = 2_000;
    static final String ELECTION_MS = "600:1200";
    static final long REPLICA_READY_TIMEOUT_MS = 120_000;
    static final long PROBE_PERIOD_MS = 2_000;
    static final TrainConfig LOCAL_TRAINING = TrainConfig.defaults().withEpochs(1).withBatchSize(32)
            .withLearningRate(0.05).withMomentum(0.9).withWeightDecay(1e-4);

    private final DemoSettings settings;
    private final Narrator narrator;
    private final List<DemoEvent> events = new CopyOnWriteArrayList<>();
    private final List<AccuracySample> samples = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<AckRecord> acks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopClients = new AtomicBoolean();

    public DemoRun(DemoSettings settings, Narrator narrator) {
        this.settings = settings;
        this.narrator = narrator;
    }

    public DemoSummary run() throws InterruptedException, IOException {
        long startNanos = System.nanoTime();
        TrainTestSplit data = Mnist10k.load();
        List<Dataset> parts = Partitioners.parse(settings.partition()).split(data.train(), settings.clients(), settings.seed());
        Model template = ModelFactory.builtIn().create(settings.model(), data.train().featureDim(),
                data.train().numClasses(), settings.seed());
        Path work = Files.createTempDirectory("starling-demo-");
        Path initial = work.resolve("initial-model.bin");
        Files.write(initial, template.params().toBytes());
        List<String> replicaArgs = List.of("--initial", initial.toString(), "--model-spec", settings.model(),
                "--election-ms", ELECTION_MS,
                "--updates-per-checkpoint", Integer.toString(settings.clients()),
                "--interval-ms", Long.toString(CHECKPOINT_INTERVAL_MS), "--snapshot-every", "64");
        say("intro", "%d aggregator replicas (separate JVMs, Ratis gRPC on 127.0.0.1) + %d clients (%s of mnist10k, "
                + "model %s, %d parameters)", settings.replicas(), settings.clients(), settings.partition(),
                settings.model(), template.paramCount());
        ExecutorService clientPool = Executors.newFixedThreadPool(settings.clients(), daemon("starling-demo-client"));
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(daemon("starling-demo-probe"));
        HistoryRecorder clientHistory = HistoryRecorder.open(work.resolve("clients-history.jsonl"));
        DemoCluster cluster = new DemoCluster(work.resolve("cluster"), settings.replicas(), template.paramCount(),
                replicaArgs, REPLICA_READY_TIMEOUT_MS);
        try {
            startCluster(cluster);
            DemoCluster.Status first = cluster.awaitLeaderWithGenesis(60_000);
            say("leader", "%s leads (elected by Raft); genesis checkpoint v0 committed", first.id());
            double trainStartS = narrator.elapsedS();
            List<Future<Integer>> clients = startClients(cluster, parts, template, clientHistory, clientPool);
            Model evaluator = template.copy();
            probe.scheduleWithFixedDelay(() -> sample(cluster, evaluator, data.test()), PROBE_PERIOD_MS,
                    PROBE_PERIOD_MS, TimeUnit.MILLISECONDS);
            List<Failover> failovers = new ArrayList<>();
            for (int k = 0; k < settings.kills(); k++) {
                sleepUntil(trainStartS + settings.killAtS(k));
                failovers.add(killLeaderAndRecover(cluster));
            }
            sleepUntil(trainStartS + settings.durationS());
            say("stop", "training time is up; stopping clients (their last updates are still committed)");
            stopClients.set(true);
            awaitClients(clients, clientPool);
            probe.shutdownNow();
            probe.awaitTermination(10, TimeUnit.SECONDS);
            return finish(cluster, clientHistory, evaluator, data.test(), failovers, startNanos);
        } finally {
            stopClients.set(true);
            clientPool.shutdownNow();
            probe.shutdownNow();
            cluster.close();
            clientHistory.close();
            keepLogs(work.resolve("cluster"), work.resolve("clients-history.jsonl"), settings.out().resolve("cluster"));
            deleteTree(work);
        }
    }

    private void startCluster(DemoCluster cluster) {
        say("start", "starting replicas %s (each a JVM; this takes a few seconds)", String.join(", ", cluster.ids()));
        cluster.startAll();
        List<String> pids = new ArrayList<>();
        for (String id : cluster.ids()) {
            pids.add(id + " pid " + cluster.pid(id).orElse(-1));
        }
        say("start", "replicas up: %s", String.join(", ", pids));
    }

    private List<Future<Integer>> startClients(DemoCluster cluster, List<Dataset> parts, Model template,
                                               HistoryRecorder history, ExecutorService pool) {
        List<Future<Integer>> futures = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        for (int c = 0; c < parts.size(); c++) {
            String id = "c" + c;
            Dataset part = parts.get(c);
            AggregatorClient aggregator = new AggregatorClient(id, cluster.endpoints(), 5_000, 100, history,
                    System::currentTimeMillis);
            DemoClient client = new DemoClient(id, part, template.copy(), LOCAL_TRAINING.withSeed(settings.seed() + c),
                    aggregator, cluster, stopClients::get, acks::add, narrator);
            futures.add(pool.submit(client));
            sizes.add(id + ": " + part.size() + " examples, " + dominantClasses(part));
        }
        say("clients", "%d clients training, one epoch per round:", parts.size());
        sizes.forEach(s -> narrator.say("    %s", s));
        return futures;
    }

    /** The classes that make up most of a partition, e.g. {@code mostly 1,7,3}: the non-IID skew at a glance. */
    static String dominantClasses(Dataset part) {
        int[] h = part.classHistogram();
        Integer[] order = new Integer[h.length];
        for (int i = 0; i < h.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(h[b], h[a]));
        List<String> top = new ArrayList<>();
        int covered = 0;
        for (Integer k : order) {
            if (covered * 10 >= part.size() * 8 || h[k] == 0) {
                break;
            }
            covered += h[k];
            top.add(Integer.toString(k));
        }
        return "80% in digits " + String.join(",", top);
    }

    private void sample(DemoCluster cluster, Model evaluator, Dataset test) {
        Optional<CommittedModel> latest = cluster.latestModel();
        if (latest.isEmpty()) {
            narrator.say("no replica answers with a committed model right now");
            return;
        }
        CommittedModel m = latest.get();
        AccuracySample previous = samples.isEmpty() ? null : samples.getLast();
        Metrics metrics;
        if (previous != null && previous.version() == m.version()) {
            metrics = new Metrics(previous.accuracy(), previous.loss(), test.size());
        } else {
            evaluator.setParams(m.params());
            metrics = evaluator.evaluate(test);
        }
        samples.add(new AccuracySample(narrator.elapsedS(), m.version(), m.proposer(), metrics.accuracy(), metrics.loss()));
        if (previous != null && !previous.proposer().equals(m.proposer())) {
            say("leader", "checkpoints are now committed by %s (before: %s)", m.proposer(), previous.proposer());
        }
        narrator.say("v%-4d test accuracy %.4f   (committed by %s)", m.version(), metrics.accuracy(), m.proposer());
    }

    private Failover killLeaderAndRecover(DemoCluster cluster) throws InterruptedException {
        DemoCluster.Status leader = awaitLeader(cluster, 30_000);
        long pid = cluster.pid(leader.id()).orElse(-1);
        long vAtKill = cluster.status(leader.id()).map(DemoCluster.Status::latestVersion).orElse(leader.latestVersion());
        double atS = narrator.elapsedS();
        long t0 = System.nanoTime();
        cluster.kill9(leader.id());
        say("kill", "KILL -9 %s (pid %d), the leader, at committed version v%d", leader.id(), pid, vAtKill);
        String newLeader = null;
        double electedMs = Double.NaN;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String id : cluster.ids()) {
                Optional<DemoCluster.Status> s = id.equals(leader.id()) ? Optional.empty() : cluster.status(id);
                if (s.isEmpty()) {
                    continue;
                }
                if (newLeader == null && s.get().isLeader()) {
                    newLeader = id;
                    electedMs = (System.nanoTime() - t0) / 1e6;
                    say("elected", "%s elected leader %.0f ms after the kill", id, electedMs);
                }
                if (s.get().latestVersion() > vAtKill && !s.get().proposer().equals(leader.id())) {
                    double failoverMs = (System.nanoTime() - t0) / 1e6;
                    String by = s.get().proposer();
                    long continuedFrom = continuedFrom(cluster, id, by, vAtKill);
                    say("failover", "%s committed v%d, continuing from v%d: failover took %.0f ms (kill to first "
                            + "commit by the new leader)", by, continuedFrom + 1, continuedFrom, failoverMs);
                    Failover f = new Failover(leader.id(), pid, atS, vAtKill, by, Double.isNaN(electedMs) ? failoverMs
                            : electedMs, failoverMs, continuedFrom, false);
                    return restart(cluster, f, t0);
                }
            }
            Thread.sleep(10);
        }
        throw new DemoFailedException("after killing leader " + leader.id() + " no other replica committed a checkpoint "
                + "within 60 s; see the replica logs in " + settings.out().resolve("cluster"));
    }

    /** The parent of the first checkpoint that {@code proposer} committed after {@code vAtKill}. */
    private static long continuedFrom(DemoCluster cluster, String replica, String proposer, long vAtKill) {
        List<CheckpointCommitted> chain = cluster.chains().getOrDefault(replica, List.of());
        for (CheckpointCommitted c : chain) {
            if (c.version() > vAtKill && c.proposer().equals(proposer)) {
                return c.parentVersion();
            }
        }
        return vAtKill;
    }

    private Failover restart(DemoCluster cluster, Failover f, long killNanos) throws InterruptedException {
        if (!settings.restart()) {
            return f;
        }
        long waitMs = settings.restartDelayMs() - (System.nanoTime() - killNanos) / 1_000_000;
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
        say("restart", "restarting %s on its data directory; it rejoins as a follower and catches up", f.killed());
        cluster.restart(f.killed());
        say("restart", "%s is back (pid %d)", f.killed(), cluster.pid(f.killed()).orElse(-1));
        return f.withRestarted();
    }

    private static DemoCluster.Status awaitLeader(DemoCluster cluster, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Optional<DemoCluster.Status> l = cluster.leader();
            if (l.isPresent()) {
                return l.get();
            }
            Thread.sleep(20);
        }
        throw new DemoFailedException("no leader to kill: no replica reported itself leader within " + timeoutMs + " ms");
    }

    private void awaitClients(List<Future<Integer>> clients, ExecutorService pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Future<Integer> f : clients) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new DemoFailedException("a client failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                say("stop", "a client is still waiting for its last acknowledgement after 30 s; stopping it");
            }
        }
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    private DemoSummary finish(DemoCluster cluster, HistoryRecorder clientHistory, Model evaluator, Dataset test,
                               List<Failover> failovers, long startNanos)
            throws InterruptedException, IOException {
        Map<String, List<CheckpointCommitted>> chains = awaitAgreement(cluster, 20_000);
        boolean agree = chains.size() == settings.replicas() && chains.values().stream().distinct().count() == 1;
        List<CheckpointCommitted> chain = chains.values().stream().max((a, b) -> Integer.compare(a.size(), b.size()))
                .orElseThrow(() -> new DemoFailedException("no replica served its chain at the end"));
        chains.forEach(clientHistory::finalChain);
        int lost = lostAcknowledged(chain, List.copyOf(acks));
        List<Path> historyFiles = new ArrayList<>(cluster.historyFiles());
        historyFiles.add(clientHistory.file());
        HistoryChecker.Result check = HistoryChecker.check(HistoryRecorder.read(historyFiles));
        List<String> violations = check.violations().stream().map(HistoryChecker.Violation::toString).toList();

        CommittedModel last = cluster.latestModel()
                .orElseThrow(() -> new DemoFailedException("no replica served the final model"));
        evaluator.setParams(last.params());
        Metrics finalMetrics = evaluator.evaluate(test);
        samples.add(new AccuracySample(narrator.elapsedS(), last.version(), last.proposer(), finalMetrics.accuracy(),
                finalMetrics.loss()));
        List<String> leaders = new ArrayList<>();
        for (CheckpointCommitted c : chain) {
            if (leaders.isEmpty() || !leaders.getLast().equals(c.proposer())) {
                leaders.add(c.proposer());
            }
        }
        DemoSummary summary = new DemoSummary(settings, leaders.size() - 1, leaders, failovers, finalMetrics.accuracy(),
                finalMetrics.loss(), last.version(), chain.size(), acks.size(), lost, agree, violations,
                (System.nanoTime() - startNanos) / 1e9,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), settings.out());
        say("final", "final test accuracy %.4f at v%d; leaders %s; failover %s ms", finalMetrics.accuracy(),
                last.version(), String.join(" -> ", leaders), summary.failoverMs().stream()
                        .map(ms -> String.format(java.util.Locale.ROOT, "%.0f", ms)).toList());
        say("final", "%d updates acknowledged, %d lost; %d replicas %s; history check: %s", acks.size(), lost,
                chains.size(), agree ? "hold the same chain" : "DISAGREE", violations.isEmpty() ? "valid"
                        : violations.size() + " violation(s)");
        violations.forEach(v -> narrator.say("    %s", v));
        DemoReport.write(settings.out(), summary, List.copyOf(samples), List.copyOf(events));
        say("report", "wrote %s (and %s, %s, %s)", settings.out().resolve(DemoReport.REPORT_HTML),
                DemoReport.ACCURACY_CSV, DemoReport.EVENTS_CSV, DemoReport.SUMMARY_JSON);
        return summary;
    }

    /** Waits until every running replica serves the same chain (a restarted one may still be catching up). */
    private static Map<String, List<CheckpointCommitted>> awaitAgreement(DemoCluster cluster, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Map<String, List<CheckpointCommitted>> chains = cluster.chains();
        while (System.nanoTime() < deadline
                && (chains.size() < cluster.ids().size() || chains.values().stream().distinct().count() > 1)) {
            Thread.sleep(200);
            chains = cluster.chains();
        }
        return chains;
    }

    /**
     * Acknowledged updates that the committed chain does not hold at the acknowledged version.
     * Must be 0: an acknowledgement means a committed checkpoint includes the update.
     */
    static int lostAcknowledged(List<CheckpointCommitted> chain, List<AckRecord> acked) {
        Map<Long, Set<String>> idsByVersion = new HashMap<>();
        for (CheckpointCommitted c : chain) {
            idsByVersion.put(c.version(), new HashSet<>(c.includedUpdateIds()));
        }
        int lost = 0;
        for (AckRecord a : acked) {
            if (!idsByVersion.getOrDefault(a.version(), Set.of()).contains(a.updateId())) {
                lost++;
            }
        }
        return lost;
    }

    private void say(String kind, String format, Object... args) {
        String text = String.format(java.util.Locale.ROOT, format, args);
        events.add(new DemoEvent(narrator.elapsedS(), kind, text));
        narrator.say("%s", text);
    }

    private void sleepUntil(double elapsedS) throws InterruptedException {
        long ms = (long) ((elapsedS - narrator.elapsedS()) * 1000);
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Copies the replicas' logs and the history files into the report folder, for whoever wants to dig in. */
    private static void keepLogs(Path clusterDir, Path clientHistory, Path target) {
        try {
            Files.createDirectories(target);
            if (Files.isDirectory(clusterDir)) {
                try (var files = Files.list(clusterDir)) {
                    for (Path p : files.filter(Files::isRegularFile).toList()) {
                        Files.copy(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (Files.exists(clientHistory)) {
                Files.copy(clientHistory, target.resolve(clientHistory.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the replica logs to " + target, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
