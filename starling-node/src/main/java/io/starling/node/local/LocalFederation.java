package io.starling.node.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.StarlingException;
import io.starling.net.transport.FreePorts;
import io.starling.node.NodeStatus;
import io.starling.node.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a federation on this machine as separate OS processes on 127.0.0.1: writes one YAML
 * config per node, starts each with {@code starling node}, streams progress read from the nodes'
 * {@code /api/status}, and stops every process at the end, on timeout, or on Ctrl-C (a shutdown
 * hook). Node logs go to {@code workDir/<node>.log}.
 */
public final class LocalFederation {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String HOST = "127.0.0.1";
    private static final int GOSSIP_STEPS = 25;
    private static final int EVALUATION_LAG_VERSIONS = 2;
    private static final int SETTLE_S = 60;
    private static final int LEADER_WAIT_S = 120;

    private record Launched(String id, NodeConfig.Role role, int httpPort, Process process) {
    }

    /**
     * How waiting ended: whether the target was reached, and when the run stopped on accuracy, the
     * statuses that met it (otherwise null, and the final statuses are collected after settling).
     */
    private record Outcome(boolean reached, List<NodeStatus> atTarget) {
    }

    private final LocalOptions options;
    private final PrintWriter progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Launched> launched = new ArrayList<>();
    private final LeaderWatch leaders = new LeaderWatch();

    public LocalFederation(LocalOptions options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Launches, waits for the target or the timeout, stops everything and reports. */
    public LocalResult run() throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        Thread stopper = new Thread(this::stopAll, "starling-local-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        long startNs = System.nanoTime();
        try {
            launchAll();
            Outcome outcome = awaitTarget(startNs);
            List<NodeStatus> finals = outcome.atTarget() != null ? outcome.atTarget() : settle();
            return result(finals, outcome.reached(), (System.nanoTime() - startNs) / 1e9);
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs stopAll itself.
            }
        }
    }

    private void launchAll() throws IOException {
        int n = options.clients();
        String mode = options.mode().name().toLowerCase(Locale.ROOT);
        if (options.aggregators() > 1) {
            ReplicatedLaunch group = new ReplicatedLaunch(options, this::freePort);
            String task = task(mode).replaceFirst("rule: \"[^\"]*\"", "rule: \"" + ReplicatedLaunch.RULE + "\"");
            group.launchReplicas(this::launch, task);
            awaitLeader();
            group.launchClients(this::launch, task, train(), this::data);
            return;
        }
        if (options.mode() == NodeConfig.Mode.GOSSIP) {
            int[] grpc = new int[n];
            for (int i = 0; i < n; i++) {
                grpc[i] = freePort();
            }
            for (int i = 0; i < n; i++) {
                StringBuilder peers = new StringBuilder();
                for (int k = 1; k <= Math.min(3, n - 1); k++) {
                    int j = (i + k) % n;
                    peers.append("    - {id: peer-").append(j).append(", address: \"").append(HOST).append(':')
                            .append(grpc[j]).append("\"}\n");
                }
                launch("peer-" + i, NodeConfig.Role.PEER, grpc[i], "role: peer\n"
                        + task(mode) + train()
                        + "peer:\n  periodMs: 1000\n  shufflePeriodMs: 2000\n  viewSize: 6\n  peers:\n" + peers
                        + data(i, n));
            }
            return;
        }
        int aggPort = freePort();
        String aggregator = "role: aggregator\n" + task(mode)
                + "aggregator:\n  minClients: " + n + "\n  clientFraction: 1.0\n  minUpdates: " + Math.max(1, n - 1)
                + "\n  roundDeadlineMs: 60000\n";
        launch("aggregator", NodeConfig.Role.AGGREGATOR, aggPort, aggregator);
        for (int i = 0; i < n; i++) {
            launch("client-" + i, NodeConfig.Role.CLIENT, freePort(), "role: client\n" + task(mode) + train()
                    + "client:\n  aggregatorId: aggregator\n  aggregatorAddress: \"" + HOST + ":" + aggPort + "\"\n"
                    + "  modelTimeoutMs: 15000\n" + data(i, n));
        }
    }

    /**
     * Waits until one replica reports itself leader of the group, so clients join a serving group
     * instead of falling back to gossip while the replica JVMs start and elect.
     */
    private void awaitLeader() {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(Math.min(options.timeoutS(), LEADER_WAIT_S));
        try {
            while (System.nanoTime() < deadlineNs) {
                failIfAnyExited();
                var change = leaders.observe(statuses());
                if (change.isPresent()) {
                    progress.printf(Locale.ROOT, "[%6.1fs] %s; starting the clients%n", (System.nanoTime() - startNs) / 1e9,
                            change.get());
                    progress.flush();
                    return;
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StarlingException("interrupted while waiting for the replicas to elect a leader", e);
        }
        throw new StarlingException("no replica became leader within " + Math.min(options.timeoutS(), LEADER_WAIT_S)
                + " s; see the replica logs in " + options.workDir());
    }

    private void failIfAnyExited() {
        for (Launched l : launched) {
            if (!l.process().isAlive()) {
                throw new StarlingException("node " + l.id() + " exited with code " + l.process().exitValue()
                        + "; see " + options.workDir().resolve(l.id() + ".log"));
            }
        }
    }

    private String task(String mode) {
        String rule = switch (options.mode()) {
            case SYNC -> "fedavg";
            case ASYNC -> "fedbuff:k=" + Math.max(1, Math.min(5, options.clients())) + ",lr=1.0,staleness=poly:0.5";
            case GOSSIP -> "doubly-weighted:lambda=0.5";
        };
        return "task:\n  id: mnist\n  model: \"" + options.model() + "\"\n  mode: " + mode + "\n  rule: \"" + rule
                + "\"\n  maxStaleness: 20\n";
    }

    /**
     * Local training. Gossip peers train at most {@value #GOSSIP_STEPS} minibatches per merge (about
     * the mean shard's epoch), not an epoch each: with Dirichlet-skewed shards an epoch on a peer
     * holding 1,400 samples took 44 steps towards its own few classes, and that peer's freshly
     * trained model scored 5-10 points below the others.
     */
    private String train() {
        String steps = options.mode() == NodeConfig.Mode.GOSSIP ? "  maxSteps: " + GOSSIP_STEPS + "\n" : "";
        return "train:\n  epochs: 1\n  batchSize: 32\n  learningRate: 0.05\n  momentum: 0.9\n" + steps;
    }

    private String data(int index, int clients) {
        return "data:\n  source: mnist10k\n  partition: \"" + options.partition() + "\"\n  clients: " + clients
                + "\n  index: " + index + "\n  partitionSeed: " + options.seed() + "\n";
    }

    /** A node that serves the federation (aggregator or replica) rather than learning in it. */
    private static boolean serves(NodeStatus s) {
        return s.role().equals("aggregator") || s.role().equals("replica");
    }

    private void launch(String id, NodeConfig.Role role, int grpcPort, String body) throws IOException {
        int httpPort = freePort();
        Path config = options.workDir().resolve(id + ".yaml");
        Files.writeString(config, "id: " + id + "\nlisten: \"" + HOST + ":" + grpcPort + "\"\nhttp: \"" + HOST + ":"
                + httpPort + "\"\ndataDir: \"" + options.workDir().resolve(id).toAbsolutePath() + "\"\nseed: "
                + (options.seed() + launched.size()) + "\n" + body);
        List<String> command = new ArrayList<>(options.javaCommand());
        command.add("--config");
        command.add(config.toString());
        Path logFile = options.workDir().resolve(id + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        launched.add(new Launched(id, role, httpPort, p));
        progress.printf("started %-10s pid %-7d gRPC %s:%d  HTTP %s:%d  log %s%n", id, p.pid(), HOST, grpcPort, HOST,
                httpPort, logFile);
        progress.flush();
    }

    private Outcome awaitTarget(long startNs) throws InterruptedException {
        long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(options.timeoutS());
        long lastPrinted = -1;
        while (System.nanoTime() < deadlineNs) {
            for (Launched l : launched) {
                if (!l.process().isAlive()) {
                    throw new StarlingException("node " + l.id() + " exited with code " + l.process().exitValue()
                            + "; see " + options.workDir().resolve(l.id() + ".log"));
                }
            }
            List<NodeStatus> statuses = statuses();
            leaders.observe(statuses).ifPresent(change -> {
                progress.printf("[%6.1fs] %s%n", (System.nanoTime() - startNs) / 1e9, change);
                progress.flush();
            });
            long v = progressVersion(statuses);
            if (v != lastPrinted) {
                lastPrinted = v;
                progress.printf("[%6.1fs] %s%n", (System.nanoTime() - startNs) / 1e9, describe(statuses));
                progress.flush();
            }
            if (options.targetAccuracy() > 0 && everyLearnerAtTarget(statuses)) {
                progress.printf(Locale.ROOT, "[%6.1fs] every %s's latest model scores >= %.4f: %s%n",
                        (System.nanoTime() - startNs) / 1e9, learnerName(), options.targetAccuracy(), describe(statuses));
                progress.flush();
                return new Outcome(true, statuses);
            }
            if (v >= options.targetVersions()) {
                if (options.targetAccuracy() > 0) {
                    progress.printf(Locale.ROOT, "reached the bound of %d versions before every %s scored >= %.4f%n",
                            options.targetVersions(), learnerName(), options.targetAccuracy());
                    progress.flush();
                    return new Outcome(false, null);
                }
                return new Outcome(true, null);
            }
            Thread.sleep(500);
        }
        progress.printf("timed out after %d s%n", options.timeoutS());
        progress.flush();
        return new Outcome(false, null);
    }

    /**
     * True when every node runs and every client's (peer's) latest evaluation scores at or above the
     * target, for a model at most {@value #EVALUATION_LAG_VERSIONS} versions older than the one it
     * holds (a node evaluates its newest model every 0.5 s; a gossip peer trains about once a second,
     * so requiring all eight to have evaluated their very newest model at the same instant would
     * rarely hold).
     */
    private boolean everyLearnerAtTarget(List<NodeStatus> statuses) {
        return statuses.size() == launched.size() && statuses.stream()
                .filter(s -> !serves(s))
                .allMatch(s -> s.evaluatedVersion() > 0 && s.version() - s.evaluatedVersion() <= EVALUATION_LAG_VERSIONS
                        && s.accuracy() >= options.targetAccuracy());
    }

    private String learnerName() {
        return options.mode() == NodeConfig.Mode.GOSSIP ? "peer" : "client";
    }

    /**
     * Gives clients up to {@value #SETTLE_S} s to evaluate a model at least as new as the one the
     * aggregator held when the run stopped (async: at most 20 versions older), since on a loaded
     * machine fetching and evaluating it can take seconds, and says which did not.
     */
    private List<NodeStatus> settle() throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_S);
        List<NodeStatus> statuses = statuses();
        // Fixed when the run stopped: the aggregator keeps committing while clients catch up, and
        // chasing its newest version would keep a fast sync run training for the whole window.
        long target = options.mode() == NodeConfig.Mode.GOSSIP ? options.targetVersions()
                : statuses.stream().filter(s -> serves(s)).mapToLong(NodeStatus::version)
                .max().orElse(0) - (options.mode() == NodeConfig.Mode.SYNC ? 0 : 20);
        List<String> behind = List.of();
        while (System.nanoTime() < deadlineNs) {
            statuses = statuses();
            behind = statuses.stream().filter(s -> !serves(s))
                    .filter(s -> s.evaluatedVersion() < target)
                    .map(s -> s.id() + " (holds v" + s.version() + ", evaluated v" + s.evaluatedVersion() + ")")
                    .toList();
            if (statuses.size() == launched.size() && behind.isEmpty()) {
                return statuses;
            }
            Thread.sleep(500);
        }
        progress.printf("after %d s some nodes had not evaluated the latest model: %s%n", SETTLE_S, behind);
        progress.flush();
        return statuses;
    }

    private long progressVersion(List<NodeStatus> statuses) {
        if (options.mode() == NodeConfig.Mode.GOSSIP) {
            return statuses.size() < launched.size() ? 0
                    : statuses.stream().mapToLong(NodeStatus::version).min().orElse(0);
        }
        return statuses.stream().filter(s -> serves(s)).mapToLong(NodeStatus::version).max().orElse(0);
    }

    private String describe(List<NodeStatus> statuses) {
        StringBuilder sb = new StringBuilder();
        for (NodeStatus s : statuses) {
            if (s.role().equals("aggregator")) {
                sb.append(String.format(Locale.ROOT, "aggregator v%d acc %.4f accepted %d | ", s.version(),
                        s.accuracy(), s.acceptedUpdates()));
            } else if (s.role().equals("replica")) {
                sb.append(String.format(Locale.ROOT, "%s v%d%s | ", s.id(), s.version(),
                        s.id().equals(s.leader()) ? " (leader)" : ""));
            }
        }
        double[] acc = statuses.stream().filter(s -> !serves(s)).mapToDouble(NodeStatus::accuracy)
                .toArray();
        long[] versions = statuses.stream().filter(s -> !serves(s)).mapToLong(NodeStatus::version)
                .toArray();
        sb.append(options.mode() == NodeConfig.Mode.GOSSIP ? "peers" : "clients").append(" v");
        sb.append(java.util.Arrays.toString(versions)).append(" acc ");
        sb.append(String.format(Locale.ROOT, "mean %.4f min %.4f", java.util.Arrays.stream(acc).average().orElse(-1),
                java.util.Arrays.stream(acc).min().orElse(-1)));
        return sb.toString();
    }

    private List<NodeStatus> statuses() {
        List<NodeStatus> out = new ArrayList<>();
        for (Launched l : launched) {
            status(l.httpPort()).ifPresent(out::add);
        }
        return out;
    }

    private Optional<NodeStatus> status(int httpPort) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + httpPort
                    + "/api/status")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readValue(r.body(), NodeStatus.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private LocalResult result(List<NodeStatus> statuses, boolean reached, double wallS) {
        List<NodeStatus> learners = statuses.stream().filter(s -> !serves(s)).toList();
        double mean = learners.stream().mapToDouble(NodeStatus::accuracy).average().orElse(-1);
        double min = learners.stream().mapToDouble(NodeStatus::accuracy).min().orElse(-1);
        return new LocalResult(options.mode().name().toLowerCase(Locale.ROOT), mean, min, progressVersion(statuses),
                learners.stream().mapToLong(NodeStatus::bytesUp).sum(),
                learners.stream().mapToLong(NodeStatus::bytesDown).sum(), wallS, reached, statuses,
                leaders.current(), leaders.changes());
    }

    /** Asks every node to stop (SIGTERM), then kills what is still running after 5 s. */
    private synchronized void stopAll() {
        for (Launched l : launched) {
            l.process().destroy();
        }
        for (Launched l : launched) {
            try {
                if (!l.process().waitFor(5, TimeUnit.SECONDS)) {
                    l.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                l.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port free right now and not handed out before in this run (the OS may offer one twice). */
    private int freePort() {
        try {
            return FreePorts.on(InetAddress.getByName(HOST));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StarlingException("cannot find a free port on " + HOST + ": " + e.getMessage(), e);
        }
    }
}
