package io.starling.raft.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * and history file), with SIGKILL and restart. Used by the kill -9 tests and the failover
 * benchmark; {@link #close} kills every process it started.
 */
public final class ReplicaProcesses implements AutoCloseable {
    private final Path root;
    private final String group = UUID.randomUUID().toString();
    private final List<ReplicaProcessMain.Peer> peers = new ArrayList<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, HttpAggregatorEndpoint> endpoints = new LinkedHashMap<>();
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
        for (ReplicaProcessMain.Peer p : peers) {
            endpoints.put(p.id(), new HttpAggregatorEndpoint(p.id(), p.http(), 3_000));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> ids() {
        return peers.stream().map(ReplicaProcessMain.Peer::id).toList();
    }

    public List<HttpAggregatorEndpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    /** Base URI of replica {@code id}'s harness HTTP endpoint (status, chain, blobs). */
    public java.net.URI httpUri(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no replica " + id)).http();
    }

    /** The operating-system process id of running replica {@code id}, if it runs. */
    public java.util.OptionalLong pid(String id) {
        Process p = running.get(id);
        return p != null && p.isAlive() ? java.util.OptionalLong.of(p.pid()) : java.util.OptionalLong.empty();
    }

    public HttpAggregatorEndpoint endpoint(String id) {
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
        String peerList = String.join(",", peers.stream().map(ReplicaProcessMain.Peer::spec).toList());
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
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(root);
            Path log = root.resolve(id + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            running.put(id, p);
            awaitReady(p, id, log, readyTimeoutMs);
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
            Optional<JsonNode> s = endpoints.get(id).status();
            if (s.isPresent() && s.get().path("isLeader").asBoolean(false)) {
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
    }
}
