package io.starling.raft.harness;

import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.raft.grpc.ClusterClient;
import io.starling.raft.grpc.GrpcAggregatorEndpoint;
import io.starling.raft.grpc.ReplicaSpec;
import io.starling.raft.log.CheckpointCommitted;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A group of {@link ReplicaProcessMain} processes on 127.0.0.1 (each its own JVM, data directory
 * and history file), with SIGKILL, restart and replicas that join at run time, reached only over
 * their gRPC services ({@link GrpcAggregatorEndpoint} for updates, {@link ClusterClient} for
 * status and chains). Used by the kill -9 tests, the failover benchmark and the demo;
 * {@link #close} kills every process it started.
 */
public final class ReplicaProcesses implements AutoCloseable {
    private final Path root;
    private final String group = UUID.randomUUID().toString();
    private final List<ReplicaProcessMain.Peer> peers = new ArrayList<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, GrpcAggregatorEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, ClusterClient> admins = new LinkedHashMap<>();
    private final java.util.Set<String> joiners = new java.util.HashSet<>();
    private final LocalNode self = LocalNode.of("harness", "");
    private final PeerChannels channels = new PeerChannels(self, GrpcAggregatorEndpoint.channelOptions(), null);
    private static final long CHAIN_TIMEOUT_MS = 10_000;
    private final List<String> extraArgs;
    private final int dim;
    private int incarnation;

    /**
     * @param extraArgs more {@code --name value} pairs for every replica (e.g. election timeouts)
     */
    public ReplicaProcesses(Path root, int size, int dim, List<String> extraArgs) {
        this.root = root;
        this.dim = dim;
        this.extraArgs = List.copyOf(extraArgs);
        for (int i = 0; i < size; i++) {
            peers.add(new ReplicaProcessMain.Peer("r" + i, "127.0.0.1", freePort(), freePort()));
        }
        peers.forEach(this::connect);
    }

    private void connect(ReplicaProcessMain.Peer p) {
        endpoints.put(p.id(), new GrpcAggregatorEndpoint(p.id(), p.grpcAddress(), channels, self, ReplicaSpec.DEFAULT_TASK));
        admins.put(p.id(), new ClusterClient(channels, self, p.grpcAddress(), 1_000));
    }

    private static int freePort() {
        return FreePorts.loopback();
    }

    public List<String> ids() {
        return peers.stream().map(ReplicaProcessMain.Peer::id).toList();
    }

    public List<GrpcAggregatorEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    private ReplicaProcessMain.Peer peer(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no replica " + id));
    }

    /** "host:port" of replica {@code id}'s gRPC server (Aggregator, Blob, Cluster). */
    public String grpcAddress(String id) {
        return peer(id).grpcAddress();
    }

    /** "host:port" of replica {@code id}'s Raft server. */
    public String raftAddress(String id) {
        return peer(id).raftAddress();
    }

    /** The channels this harness talks to the replicas through (closed by {@link #close}). */
    public PeerChannels channels() {
        return channels;
    }

    /** Replica {@code id}'s Cluster service, with a 1 s deadline per call. */
    public ClusterClient admin(String id) {
        return admins.get(id);
    }

    /** Replica {@code id}'s status, or empty when it does not answer within 1 s. */
    public Optional<ReplicaStatus> status(String id) {
        return admins.get(id).tryMembers().map(ReplicaStatus::of);
    }

    /** Replica {@code id}'s latest applied version; -1 before genesis or when it does not answer. */
    public long latestVersion(String id) {
        return status(id).map(ReplicaStatus::latestVersion).orElse(-1L);
    }

    /** Replica {@code id}'s committed chain (deadline 10 s: it may be long, and machines busy). */
    public List<CheckpointCommitted> chain(String id) {
        return new ClusterClient(channels, self, grpcAddress(id), CHAIN_TIMEOUT_MS).chain();
    }

    /**
     * Starts a new replica {@code id} with no peers, ready to be added with
     * {@code Cluster.AddMember}; it is not a member until then.
     */
    public void startJoining(String id, long readyTimeoutMs) {
        if (peers.stream().anyMatch(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("replica " + id + " exists already");
        }
        ReplicaProcessMain.Peer p = new ReplicaProcessMain.Peer(id, "127.0.0.1", freePort(), freePort());
        peers.add(p);
        joiners.add(id);
        connect(p);
        start(id, readyTimeoutMs);
    }

    /** The operating-system process id of running replica {@code id}, if it runs. */
    public java.util.OptionalLong pid(String id) {
        Process p = running.get(id);
        return p != null && p.isAlive() ? java.util.OptionalLong.of(p.pid()) : java.util.OptionalLong.empty();
    }

    public GrpcAggregatorEndpoint endpoint(String id) {
        return endpoints.get(id);
    }

    /** History files written by the replicas so far (one per incarnation). */
    public List<Path> historyFiles() throws IOException {
        try (var files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("history-")).sorted().toList();
        }
    }

    public void startAll(long readyTimeoutMs) {
        peers.forEach(p -> start(p.id(), readyTimeoutMs));
    }

    /** Starts (or restarts) replica {@code id} and waits until it prints READY. */
    public void start(String id, long readyTimeoutMs) {
        String peerList = joiners.contains(id) ? peer(id).spec()
                : String.join(",", peers.stream().filter(p -> !joiners.contains(p.id())).map(ReplicaProcessMain.Peer::spec).toList());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ReplicaProcessMain.class.getName(),
                "--id", id, "--group", group, "--peers", peerList,
                "--data", root.resolve(id).toString(), "--dim", Integer.toString(dim),
                "--history", root.resolve("history-" + id + "-" + (incarnation++) + ".jsonl").toString()));
        String logConfig = System.getProperty("logback.configurationFile");
        if (logConfig != null) {
            cmd.add(1, "-Dlogback.configurationFile=" + logConfig);
        }
        if (joiners.contains(id)) {
            cmd.addAll(List.of("--join", "true"));
        }
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(root);
            Path log = root.resolve(id + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            running.put(id, p);
            awaitReady(p, id, log, readyTimeoutMs);
            channels.resetConnectBackoff();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + id, e);
        }
    }

    private static void awaitReady(Process p, String id, Path log, long timeoutMs) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + timeoutMs;
        Thread pump = null;
        while (System.currentTimeMillis() < deadline) {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("replica " + id + " exited before READY; see " + log);
            }
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (line.equals("READY " + id)) {
                pump = new Thread(() -> drain(out, log), "drain-" + id);
                pump.setDaemon(true);
                pump.start();
                return;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("replica " + id + " not READY within " + timeoutMs + " ms; see " + log);
    }

    private static void drain(BufferedReader out, Path log) {
        try (var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)) {
            for (String line; (line = out.readLine()) != null; ) {
                w.write(line);
                w.newLine();
                w.flush();
            }
        } catch (IOException e) {
            // the process died: nothing more to copy
        }
    }

    /** SIGKILLs replica {@code id} (no shutdown hooks run) and waits for it to die. */
    public void kill9(String id) throws InterruptedException {
        Process p = running.remove(id);
        if (p != null) {
            p.destroyForcibly();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replica " + id + " survived SIGKILL for 10 s");
            }
        }
    }

    public boolean isRunning(String id) {
        Process p = running.get(id);
        return p != null && p.isAlive();
    }

    /** The running replica that reports itself the serving leader, if any. */
    public Optional<String> leader() {
        for (String id : running.keySet()) {
            if (status(id).map(ReplicaStatus::isLeader).orElse(false)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** Polls until a running replica reports itself leader; returns it, or empty after the timeout. */
    public Optional<String> awaitLeader(long timeoutMs, long pollMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Optional<String> l = leader();
            if (l.isPresent()) {
                return l;
            }
            Thread.sleep(pollMs);
        }
        return Optional.empty();
    }

    public int dim() {
        return dim;
    }

    @Override
    public void close() {
        for (Process p : running.values()) {
            p.destroyForcibly();
        }
        for (Process p : running.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
        endpoints.values().forEach(GrpcAggregatorEndpoint::close);
        channels.close();
    }
}
