package io.starling.cli.demo;

import io.starling.core.data.Dataset;
import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.data.partition.Partitioners;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.hybrid.HybridState;
import io.starling.raft.history.HistoryChecker;
import io.starling.raft.history.HistoryEvent;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code starling demo} orchestrator: shows that the aggregator is not a single point of
 * failure, neither when its leader dies nor when every replica does.
 *
 * <ol>
 *   <li>Starts {@code replicas} aggregator replicas as separate JVMs on 127.0.0.1 (Ratis gRPC
 *       between them, clients over each replica's gRPC Aggregator, Blob and Cluster services;
 *       {@link io.starling.raft.harness.ReplicaProcessMain}), with the seeded
 *       initial model as genesis.
 *   <li>Starts {@code clients} clients ({@link DemoClients}: the hybrid {@code FallbackClient} of
 *       {@code starling node}, each with its own Dirichlet partition of mnist10k, model instance
 *       and gRPC server): train one epoch from the latest committed model, submit until
 *       acknowledged (resending to the next leader), repeat; gossip with each other when no
 *       leader serves for the fallback timeout.
 *   <li>Unless {@code outageS} is 0, SIGKILLs every replica at once and keeps them down for
 *       {@code outageS}: narrates each client's switch to gossip and the gossip models' accuracy,
 *       restarts the replicas on their data directories, and once a leader serves and every client
 *       has handed its gossip model back, evaluates the checkpoint that merged them by doubly
 *       weighted averaging against the best gossip model.
 *   <li>Then SIGKILLs the serving leader {@code kills} times, evenly spread, measuring the time to
 *       the new leader's election and to its first committed checkpoint; restarts the killed
 *       replica after a pause.
 *   <li>Evaluates the latest committed model (and, while clients gossip, their gossip models) on
 *       the test split every two seconds.
 *   <li>Stops the clients, checks that every acknowledged update is in the committed chain, that
 *       the replicas agree, and that the recorded history is valid; writes the report.
 * </ol>
 * The outage (first, while the model still improves) and the kills split the training time ({@code durationS} of training with the group
 * up) evenly; the outage and the replicas' restart come on top of it. Every process it starts is
 * killed when it returns or throws, and on Ctrl-C.
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
    static final long SWITCH_WATCH_PERIOD_MS = 200;
    /** How long a kill waits for a restarted replica to catch up with the leader. */
    static final long CATCH_UP_TIMEOUT_MS = 30_000;
    /** How long the restarted group and the clients get to elect, reconnect and merge every hand-back. */
    static final long RECOVERY_TIMEOUT_MS = 90_000;
    static final TrainConfig LOCAL_TRAINING = TrainConfig.defaults().withEpochs(1).withBatchSize(32)
            .withLearningRate(0.05).withMomentum(0.9).withWeightDecay(1e-4);

    private final DemoSettings settings;
    private final Narrator narrator;
    private final List<DemoEvent> events = new CopyOnWriteArrayList<>();
    private final List<AccuracySample> samples = new CopyOnWriteArrayList<>();
    private final List<List<GossipSample>> gossipRounds = new CopyOnWriteArrayList<>();
    /** Each client's gossip model evaluated right after it switched to gossip. */
    private final List<GossipSample> switchSamples = new CopyOnWriteArrayList<>();
    /** Epoch ms at which every replica was killed for the outage; 0 outside it. */
    private volatile long outageKilledAtMs;
    private final Map<String, Long> handBacksSeen = new ConcurrentHashMap<>();

    public DemoRun(DemoSettings settings, Narrator narrator) {
        this.settings = settings;
        this.narrator = narrator;
    }

    public DemoSummary run() throws InterruptedException, IOException {
        long startNanos = System.nanoTime();
        long startEpochMs = System.currentTimeMillis() - (long) (narrator.elapsedS() * 1000);
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
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(daemon("starling-demo-probe"));
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(daemon("starling-demo-switches"));
        HistoryRecorder clientHistory = HistoryRecorder.open(work.resolve("clients-history.jsonl"));
        DemoCluster cluster = new DemoCluster(work.resolve("cluster"), settings.replicas(), template.paramCount(),
                replicaArgs, REPLICA_READY_TIMEOUT_MS);
        DemoClients clients = null;
        try {
            startCluster(cluster);
            DemoCluster.Status first = cluster.awaitLeaderWithGenesis(60_000);
            say("leader", "%s leads (elected by Raft); genesis checkpoint v0 committed", first.id());
            double trainStartS = narrator.elapsedS();
            clients = startClients(cluster, parts, template, clientHistory, work.resolve("clients"));
            DemoClients running = clients;
            Model probeEvaluator = template.copy();
            probe.scheduleWithFixedDelay(() -> sample(cluster, running, probeEvaluator, data.test()), PROBE_PERIOD_MS,
                    PROBE_PERIOD_MS, TimeUnit.MILLISECONDS);
            Model switchEvaluator = template.copy();
            watch.scheduleWithFixedDelay(() -> narrateSwitches(running, switchEvaluator, data.test()), SWITCH_WATCH_PERIOD_MS,
                    SWITCH_WATCH_PERIOD_MS, TimeUnit.MILLISECONDS);
            Outage outage = null;
            double outageS = 0;
            if (settings.hasOutage()) {
                sleepUntil(trainStartS + settings.outageAtS());
                awaitCaughtUp(cluster, CATCH_UP_TIMEOUT_MS);
                double outageStartS = narrator.elapsedS();
                outage = killEveryReplicaAndRecover(cluster, clients, template.copy(), data.test());
                outageS = narrator.elapsedS() - outageStartS;
            }
            List<Failover> failovers = new ArrayList<>();
            for (int k = 0; k < settings.kills(); k++) {
                sleepUntil(trainStartS + outageS + settings.killAtS(k));
                awaitCaughtUp(cluster, CATCH_UP_TIMEOUT_MS);
                failovers.add(killLeaderAndRecover(cluster));
            }
            sleepUntil(trainStartS + outageS + settings.durationS());
            say("stop", "training time is up; stopping clients (acknowledged updates stay committed)");
            watch.shutdownNow();
            probe.shutdownNow();
            probe.awaitTermination(10, TimeUnit.SECONDS);
            clients.close();
            return finish(cluster, clientHistory, template.copy(), data.test(), failovers, outage, startNanos,
                    startEpochMs);
        } finally {
            watch.shutdownNow();
            probe.shutdownNow();
            if (clients != null) {
                clients.close();
            }
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

    private DemoClients startClients(DemoCluster cluster, List<Dataset> parts, Model template, HistoryRecorder history,
                                     Path dir) {
        DemoClients clients = new DemoClients(parts, template, LOCAL_TRAINING, settings.model(),
                settings.fallbackTimeoutMs(), settings.seed(), cluster, history, dir);
        clients.start();
        say("clients", "%d clients training, one epoch per round; each gossips with the others (gRPC on 127.0.0.1) "
                + "when no leader serves it a model for %d ms:", parts.size(), settings.fallbackTimeoutMs());
        for (int c = 0; c < parts.size(); c++) {
            narrator.say("    %s: %d examples, %s", clients.ids().get(c), parts.get(c).size(), dominantClasses(parts.get(c)));
        }
        return clients;
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

    /**
     * One probe: the latest committed model's accuracy, and each gossiping client's gossip model.
     * Runs on the probe thread; a failure is narrated, so the next probe still runs.
     */
    private void sample(DemoCluster cluster, DemoClients clients, Model evaluator, Dataset test) {
        try {
            List<String> gossiping = clients.gossiping();
            Optional<CommittedModel> latest = cluster.latestModel();
            if (latest.isPresent()) {
                sampleCommitted(latest.get(), evaluator, test);
            } else if (gossiping.isEmpty()) {
                narrator.say("no replica answers with a committed model right now");
            }
            if (!gossiping.isEmpty()) {
                sampleGossip(clients, gossiping, evaluator, test);
            }
        } catch (RuntimeException e) {
            narrator.say("probe failed (the next one runs in %d ms): %s", PROBE_PERIOD_MS, e);
        }
    }

    private void sampleCommitted(CommittedModel m, Model evaluator, Dataset test) {
        AccuracySample previous = samples.isEmpty() ? null : samples.getLast();
        if (previous != null && m.version() < previous.version()) {
            return; // no leader answered, and the replica that did still catches up: nothing new to show
        }
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

    private void sampleGossip(DemoClients clients, List<String> gossiping, Model evaluator, Dataset test) {
        List<GossipSample> round = new ArrayList<>();
        for (String id : gossiping) {
            Optional<ParamVector> model = clients.gossipModel(id);
            if (model.isPresent()) {
                evaluator.setParams(model.get());
                round.add(new GossipSample(narrator.elapsedS(), id, evaluator.evaluate(test).accuracy()));
            }
        }
        if (round.isEmpty()) {
            return;
        }
        gossipRounds.add(List.copyOf(round));
        GossipSample best = round.stream().max(Comparator.comparingDouble(GossipSample::accuracy)).orElseThrow();
        GossipSample worst = round.stream().min(Comparator.comparingDouble(GossipSample::accuracy)).orElseThrow();
        narrator.say("gossip: %d of %d clients gossiping, test accuracy of their models: mean %.4f, best %.4f (%s), "
                + "worst %.4f (%s)", round.size(), clients.size(), mean(round), best.accuracy(), best.clientId(),
                worst.accuracy(), worst.clientId());
    }

    private static double mean(List<GossipSample> round) {
        return round.stream().mapToDouble(GossipSample::accuracy).average().orElse(Double.NaN);
    }

    /**
     * Narrates each client's switches between the group and gossip, and each committed hand-back;
     * evaluates a client's gossip model as soon as it switches (the model it starts gossip from).
     */
    private void narrateSwitches(DemoClients clients, Model switchEvaluator, Dataset test) {
        try {
            long killedAt = outageKilledAtMs;
            for (DemoClients.Switch s : clients.newSwitches()) {
                if (s.modeSwitch().to() == HybridState.FALLBACK) {
                    clients.gossipModel(s.clientId()).ifPresent(model -> {
                        switchEvaluator.setParams(model);
                        switchSamples.add(new GossipSample(narrator.elapsedS(), s.clientId(),
                                switchEvaluator.evaluate(test).accuracy()));
                    });
                    String when = killedAt > 0 && s.modeSwitch().atMs() >= killedAt
                            ? String.format(Locale.ROOT, " %.1f s after the replicas died", (s.modeSwitch().atMs() - killedAt) / 1e3)
                            : "";
                    say("gossip", "%s switched to gossip learning with the other clients%s (%s)", s.clientId(), when,
                            s.modeSwitch().cause());
                } else {
                    say("reconnect", "%s: a leader serves again; it hands back its gossip model and trains on the "
                            + "committed model", s.clientId());
                }
            }
            for (String id : clients.ids()) {
                long acked = clients.handBacksAcknowledged(id);
                if (acked > handBacksSeen.getOrDefault(id, 0L)) {
                    handBacksSeen.put(id, acked);
                    say("handback", "%s's gossip model is merged into a committed checkpoint", id);
                }
            }
        } catch (RuntimeException e) {
            narrator.say("switch watch failed (it runs again in %d ms): %s", SWITCH_WATCH_PERIOD_MS, e);
        }
    }

    /**
     * Waits until every running replica holds the leader's latest checkpoint and its model blob (a
     * replica restarted after a kill catches up from a snapshot and blob fetches), so the next
     * kill hits a group whose survivors can commit. Gives up after {@code timeoutMs} and says who still lags.
     */
    private void awaitCaughtUp(DemoCluster cluster, long timeoutMs) throws InterruptedException {
        long startNanos = System.nanoTime();
        long target = awaitLeader(cluster, timeoutMs).latestVersion();
        List<String> behind = behind(cluster, target);
        boolean said = false;
        while (!behind.isEmpty()) {
            if (!said && System.nanoTime() - startNanos > TimeUnit.SECONDS.toNanos(1)) {
                narrator.say("waiting for %s to catch up with v%d before going on", String.join(", ", behind), target);
                said = true;
            }
            if (System.nanoTime() - startNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                say("lagging", "%s still behind v%d after %d ms; going on anyway", String.join(", ", behind), target,
                        timeoutMs);
                return;
            }
            Thread.sleep(200);
            behind = behind(cluster, target);
        }
    }

    /** Running replicas that do not yet hold checkpoint {@code version} (or a newer one) and its model. */
    private static List<String> behind(DemoCluster cluster, long version) {
        return cluster.running().stream()
                .filter(id -> cluster.status(id).filter(s -> s.latestVersion() >= version && s.holdsLatestBlob())
                        .isEmpty())
                .toList();
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

    /**
     * The outage: SIGKILLs every running replica, keeps them down for {@code outageS} while the
     * clients gossip, restarts them on their data directories, and waits until a leader serves and
     * every client that gossiped has handed its model back into a committed checkpoint.
     */
    private Outage killEveryReplicaAndRecover(DemoCluster cluster, DemoClients clients, Model evaluator, Dataset test)
            throws InterruptedException {
        CommittedModel before = cluster.latestModel()
                .orElseThrow(() -> new DemoFailedException("no replica served a committed model before the outage"));
        evaluator.setParams(before.params());
        double accuracyBefore = evaluator.evaluate(test).accuracy();
        Map<String, Long> handBacksBefore = new LinkedHashMap<>();
        clients.ids().forEach(id -> handBacksBefore.put(id, clients.handBacksAcknowledged(id)));
        List<String> down = new ArrayList<>(cluster.running());
        Optional<DemoCluster.Status> leader = cluster.leader();
        leader.ifPresent(l -> {
            down.remove(l.id());
            down.add(l.id()); // the leader last: no survivor is elected in between
        });
        int roundsBefore = gossipRounds.size();
        int switchSamplesBefore = switchSamples.size();
        for (String id : down) {
            cluster.kill9(id);
        }
        long killedAtMs = System.currentTimeMillis();
        outageKilledAtMs = killedAtMs;
        double atS = narrator.elapsedS();
        say("outage", "KILL -9 %s: every replica is down (committed v%d, test accuracy %.4f); they stay down for "
                + "%d s. No leader, no aggregator: a client that gets no model for %d ms switches to gossip",
                String.join(", ", down), before.version(), accuracyBefore, settings.outageS(),
                settings.fallbackTimeoutMs());
        sleepUntil(atS + settings.outageS());

        say("recover", "%d s are over: restarting %s one after the other on their data directories (each a JVM); "
                + "clients keep gossiping meanwhile", settings.outageS(), String.join(", ", down));
        long restartNanos = System.nanoTime();
        DemoCluster.Status elected = null;
        double downS = Double.NaN;
        for (String id : down) {
            cluster.restart(id);
            say("recover", "%s is back (pid %d)", id, cluster.pid(id).orElse(-1));
            if (elected == null && cluster.running().size() > settings.replicas() / 2) {
                elected = awaitLeader(cluster, RECOVERY_TIMEOUT_MS);
                downS = (System.currentTimeMillis() - killedAtMs) / 1e3;
                say("elected", "%s elected leader %.0f ms after the restart began (a majority is up); the group had "
                        + "no leader for %.1f s", elected.id(), (System.nanoTime() - restartNanos) / 1e6, downS);
            }
        }
        if (elected == null) {
            throw new DemoFailedException("fewer than a majority of the replicas could be restarted after the outage: "
                    + "running " + cluster.running() + " of " + cluster.ids());
        }

        Map<String, Long> switchMs = switchDelays(clients, killedAtMs);
        List<String> handingBack = List.copyOf(switchMs.keySet());
        awaitHandBacks(clients, handingBack, handBacksBefore);
        double reconnectMs = (System.nanoTime() - restartNanos) / 1e6;

        List<CheckpointCommitted> chain = cluster.chains().values().stream()
                .max(Comparator.comparingInt(List::size)).orElse(List.of());
        List<CheckpointCommitted> merges = handBackMerges(chain, before.version());
        int handBacks = (int) merges.stream().flatMap(c -> c.includedUpdateIds().stream())
                .filter(u -> u.contains(HAND_BACK_MARK)).count();
        long mergedVersion = -1;
        double mergedAccuracy = Double.NaN;
        if (!merges.isEmpty()) {
            CheckpointCommitted merged = merges.getLast();
            mergedVersion = merged.version();
            evaluator.setParams(cluster.model(merged).params());
            mergedAccuracy = evaluator.evaluate(test).accuracy();
        }
        List<GossipSample> during = new ArrayList<>(switchSamples.subList(switchSamplesBefore, switchSamples.size()));
        gossipRounds.subList(roundsBefore, gossipRounds.size()).forEach(during::addAll);
        during.sort(Comparator.comparingDouble(GossipSample::atS));
        GossipAccuracy gossip = GossipAccuracy.of(during);
        outageKilledAtMs = 0;
        Outage outage = new Outage(atS, settings.outageS(), settings.fallbackTimeoutMs(), before.version(),
                accuracyBefore, downS, switchMs, gossip.start(), gossip.end(), gossip.last(), reconnectMs, handBacks,
                mergedVersion, mergedAccuracy);
        say("gossip", "%d of %d clients switched to gossip, %s ms after the replicas died (fallback timeout %d ms); "
                + "mean gossip accuracy %.4f as they switched, %.4f at the end (last two evaluations before reconnecting)",
                switchMs.size(), clients.size(), switchMs.values(), settings.fallbackTimeoutMs(), gossip.start(),
                gossip.end());
        say("merge", "v%d merged the %d handed-back gossip models by doubly weighted averaging: test accuracy %.4f; "
                + "best gossip model %.4f (%s); committed before the outage %.4f; every client back on the group "
                + "%.0f ms after the restart began", mergedVersion, handBacks, mergedAccuracy,
                outage.bestGossipAccuracy(), outage.bestGossipClient(), accuracyBefore, reconnectMs);
        return outage;
    }

    /** Update ids of hand-backs contain this ({@code c3/handback-1}). */
    static final String HAND_BACK_MARK = "/handback-";

    /** The checkpoints after {@code afterVersion} that merged at least one gossip hand-back, in chain order. */
    static List<CheckpointCommitted> handBackMerges(List<CheckpointCommitted> chain, long afterVersion) {
        return chain.stream().filter(c -> c.version() > afterVersion
                && c.includedUpdateIds().stream().anyMatch(u -> u.contains(HAND_BACK_MARK))).toList();
    }

    /** Per client, ms from {@code sinceMs} to its first switch to gossip after it; clients that did not switch are absent. */
    private static Map<String, Long> switchDelays(DemoClients clients, long sinceMs) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : clients.ids()) {
            clients.switches(id).stream()
                    .filter(s -> s.to() == HybridState.FALLBACK && s.atMs() >= sinceMs)
                    .findFirst()
                    .ifPresent(s -> out.put(id, s.atMs() - sinceMs));
        }
        return out;
    }

    /** Waits until every client of {@code ids} is back on the group with one more hand-back committed. */
    private void awaitHandBacks(DemoClients clients, List<String> ids, Map<String, Long> handBacksBefore)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_TIMEOUT_MS);
        while (true) {
            List<String> waiting = ids.stream().filter(id -> clients.mode(id) != HybridState.CONNECTED
                    || clients.handBacksAcknowledged(id) <= handBacksBefore.get(id)).toList();
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                List<String> state = waiting.stream().map(id -> id + " " + clients.mode(id) + ", hand-backs acked "
                        + clients.handBacksAcknowledged(id) + " (before the outage " + handBacksBefore.get(id) + ")")
                        .toList();
                throw new DemoFailedException("after the restart, clients did not hand back their gossip models within "
                        + RECOVERY_TIMEOUT_MS + " ms: " + state + "; see the replica logs in "
                        + settings.out().resolve("cluster"));
            }
            Thread.sleep(100);
        }
    }

    private DemoSummary finish(DemoCluster cluster, HistoryRecorder clientHistory, Model evaluator, Dataset test,
                               List<Failover> failovers, Outage outage, long startNanos, long startEpochMs)
            throws InterruptedException, IOException {
        List<AckRecord> acks = clientHistory.events().stream().filter(e -> e.type() == HistoryEvent.Type.ACK)
                .map(e -> new AckRecord(e.process(), e.updateId(), e.version(), (e.timeMs() - startEpochMs) / 1e3))
                .toList();
        Map<String, List<CheckpointCommitted>> chains = awaitAgreement(cluster, 20_000);
        boolean agree = chains.size() == settings.replicas() && chains.values().stream().distinct().count() == 1;
        List<CheckpointCommitted> chain = chains.values().stream().max((a, b) -> Integer.compare(a.size(), b.size()))
                .orElseThrow(() -> new DemoFailedException("no replica served its chain at the end"));
        chains.forEach(clientHistory::finalChain);
        int lost = lostAcknowledged(chain, acks);
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
                finalMetrics.loss(), last.version(), chain.size(), acks.size(), lost, agree, violations, outage,
                (System.nanoTime() - startNanos) / 1e9,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), settings.out());
        say("final", "final test accuracy %.4f at v%d; leaders %s; failover %s ms", finalMetrics.accuracy(),
                last.version(), String.join(" -> ", leaders), summary.failoverMs().stream()
                        .map(ms -> String.format(java.util.Locale.ROOT, "%.0f", ms)).toList());
        say("final", "%d updates acknowledged, %d lost; %d replicas %s; history check: %s", acks.size(), lost,
                chains.size(), agree ? "hold the same chain" : "DISAGREE", violations.isEmpty() ? "valid"
                        : violations.size() + " violation(s)");
        violations.forEach(v -> narrator.say("    %s", v));
        if (outage != null) {
            say("final", "outage: %d of %d clients gossiped (switched after %s ms), gossip accuracy %.4f -> %.4f; "
                    + "merged v%d %.4f vs best gossip %.4f", outage.switchMs().size(), settings.clients(),
                    outage.switchMs().values(), outage.gossipAccuracyStart(), outage.gossipAccuracyEnd(),
                    outage.mergedVersion(), outage.mergedAccuracy(), outage.bestGossipAccuracy());
        }
        DemoReport.write(settings.out(), summary, List.copyOf(samples), List.copyOf(gossipRounds),
                List.copyOf(switchSamples), List.copyOf(events));
        say("report", "wrote %s (and %s, %s, %s, %s)", settings.out().resolve(DemoReport.REPORT_HTML),
                DemoReport.ACCURACY_CSV, DemoReport.GOSSIP_CSV, DemoReport.EVENTS_CSV, DemoReport.SUMMARY_JSON);
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
