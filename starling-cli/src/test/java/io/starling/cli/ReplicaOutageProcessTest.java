package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.net.transport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every replica of the replicated aggregator is down for a while, as real OS processes on
 * 127.0.0.1: three {@code starling node} replica processes and four client-of-the-group processes
 * train a logistic regression on mnist10k; once the group has committed a checkpoint all three
 * replicas are SIGKILLed. Each client must report gossip fallback (metric
 * {@code starling_gossip_fallback}) within its fallback timeout plus slack, the clients' gossip
 * models must get better while the group is down (metric {@code starling_gossip_accuracy}), and
 * after the replicas restart on their data directories the clients hand their gossip models back
 * and the group's committed model must come within 0.02 of the best gossip model.
 */
class ReplicaOutageProcessTest {
    private static final String HOST = "127.0.0.1";
    private static final int REPLICAS = 3;
    private static final int CLIENTS = 4;
    private static final long FALLBACK_TIMEOUT_MS = 3_000;
    /** Detection slack over the timeout: a probe period, a gossip start, and a busy 2-core machine. */
    private static final long SWITCH_SLACK_MS = 7_000;
    private static final double TOLERANCE = 0.02;
    private static final Pattern METRIC = Pattern.compile("(?m)^(starling_[a-z_]+)(?:\\{[^}]*})? (\\S+)$");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<ProcessHandle> everyStarted = new ArrayList<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (ProcessHandle h : everyStarted) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(everyStarted.stream().filter(ProcessHandle::isAlive).toList()).as("node processes left running")
                .isEmpty();
        assertThat(everyStarted.stream().flatMap(ProcessHandle::descendants).filter(ProcessHandle::isAlive).toList())
                .as("descendants of node processes left running").isEmpty();
    }

    @Test
    @Tag("slow")
    void clientsGossipWhileEveryReplicaIsDownAndHandTheirBetterModelBackAfterRecovery() throws Exception {
        long start = System.nanoTime();
        writeConfigsAndStartAll();

        Awaitility.await("a first checkpoint of accuracy >= 0.3, every client served by the group")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> replicaStatuses().stream().anyMatch(s -> s.get("version").asLong() >= 1
                        && s.get("accuracy").asDouble() >= 0.3) && allClientsConnected());
        long versionBeforeOutage = replicaStatuses().stream().mapToLong(s -> s.get("version").asLong()).max()
                .orElseThrow();

        long killedAt = System.nanoTime();
        for (int i = 0; i < REPLICAS; i++) {
            Process p = processes.remove("replica-" + i);
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("replica-%d is dead after SIGKILL", i).isTrue();
        }

        Map<String, Long> switchMs = new LinkedHashMap<>();
        Awaitility.await("every client in gossip fallback").atMost(Duration.ofMillis(FALLBACK_TIMEOUT_MS + SWITCH_SLACK_MS))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    for (int i = 0; i < CLIENTS; i++) {
                        String id = "client-" + i;
                        if (!switchMs.containsKey(id) && metric(id, "starling_gossip_fallback").orElse(0.0) == 1.0) {
                            switchMs.put(id, (System.nanoTime() - killedAt) / 1_000_000);
                        }
                    }
                    return switchMs.size() == CLIENTS;
                });

        Awaitility.await("every client evaluated its gossip model").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> meanGossipAccuracy().isPresent());
        double earlyGossip = meanGossipAccuracy().orElseThrow();
        double[] lateGossip = {0};
        Awaitility.await("mean gossip accuracy rising during the outage").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    lateGossip[0] = meanGossipAccuracy().orElse(0.0);
                    return lateGossip[0] >= earlyGossip + 0.01;
                });
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(metric("client-" + i, "starling_gossip_fallback")).as("client-%d still gossiping", i)
                    .hasValue(1.0);
        }

        long restartedAt = System.nanoTime();
        for (int i = 0; i < REPLICAS; i++) {
            start("replica-" + i);
        }
        Awaitility.await("every client back on the group").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(this::allClientsConnected);
        long reconnectMs = (System.nanoTime() - restartedAt) / 1_000_000;
        double bestGossip = 0;
        for (int i = 0; i < CLIENTS; i++) {
            bestGossip = Math.max(bestGossip, metric("client-" + i, "starling_gossip_accuracy").orElseThrow());
        }
        double best = bestGossip;
        double[] committed = {0};
        long[] committedVersion = {0};
        Awaitility.await("a committed model within " + TOLERANCE + " of the best gossip model")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (JsonNode s : replicaStatuses()) {
                        if (s.get("accuracy").asDouble() > committed[0]) {
                            committed[0] = s.get("accuracy").asDouble();
                            committedVersion[0] = s.get("version").asLong();
                        }
                    }
                    return committed[0] >= best - TOLERANCE;
                });
        assertThat(committedVersion[0]).as("the restarted group kept its history and committed on top of it")
                .isGreaterThan(versionBeforeOutage);
        System.out.printf(Locale.ROOT, "replica outage: switch_ms %s (timeout %d), gossip accuracy %.4f -> %.4f, "
                        + "reconnect_ms %d, best gossip %.4f, committed %.4f at version %d (before outage %d), "
                        + "wall_s %.1f%n", switchMs.values(), FALLBACK_TIMEOUT_MS, earlyGossip, lateGossip[0],
                reconnectMs, best, committed[0], committedVersion[0], versionBeforeOutage,
                (System.nanoTime() - start) / 1e9);
    }

    private void writeConfigsAndStartAll() throws IOException {
        String task = "task:\n  id: mnist\n  model: \"logreg\"\n  mode: async\n  rule: \"fedavg\"\n  maxStaleness: 20\n";
        StringBuilder members = new StringBuilder();
        StringBuilder replicaRefs = new StringBuilder();
        int[] replicaGrpc = new int[REPLICAS];
        for (int i = 0; i < REPLICAS; i++) {
            replicaGrpc[i] = freePort();
            members.append("    - {id: replica-").append(i).append(", raft: \"").append(HOST).append(':')
                    .append(freePort()).append("\", grpc: \"").append(HOST).append(':').append(replicaGrpc[i])
                    .append("\"}\n");
            replicaRefs.append("    - {id: replica-").append(i).append(", address: \"").append(HOST).append(':')
                    .append(replicaGrpc[i]).append("\"}\n");
        }
        String cluster = "cluster:\n  groupId: " + UUID.randomUUID() + "\n  updatesPerCheckpoint: 3\n"
                + "  checkpointIntervalMs: 500\n  electionTimeoutMinMs: 400\n  electionTimeoutMaxMs: 800\n  members:\n"
                + members;
        for (int i = 0; i < REPLICAS; i++) {
            writeConfig("replica-" + i, replicaGrpc[i], i, "role: replica\n" + task + cluster);
        }
        int[] clientGrpc = new int[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            clientGrpc[i] = freePort();
        }
        for (int i = 0; i < CLIENTS; i++) {
            StringBuilder peers = new StringBuilder();
            for (int k = 1; k < CLIENTS; k++) {
                int j = (i + k) % CLIENTS;
                peers.append("    - {id: client-").append(j).append(", address: \"").append(HOST).append(':')
                        .append(clientGrpc[j]).append("\"}\n");
            }
            writeConfig("client-" + i, clientGrpc[i], REPLICAS + i, "role: client\n" + task
                    + "train:\n  epochs: 1\n  maxSteps: 4\n  batchSize: 32\n  learningRate: 0.02\n  momentum: 0.9\n"
                    + "client:\n  fallbackTimeoutMs: " + FALLBACK_TIMEOUT_MS + "\n  probePeriodMs: 1000\n"
                    + "  gossipPeriodMs: 500\n  replicas:\n" + replicaRefs + "  peers:\n" + peers
                    + "data:\n  source: mnist10k\n  partition: \"iid\"\n  clients: " + CLIENTS + "\n  index: " + i
                    + "\n  partitionSeed: 42\n");
        }
        for (int i = 0; i < REPLICAS; i++) {
            start("replica-" + i);
        }
        // Clients start once the group has a leader: on a busy machine replica JVMs can take
        // longer than the short fallback timeout to elect one, and the clients would gossip first.
        Awaitility.await("a leader of the replica group").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> replicaStatuses().stream().anyMatch(s -> !s.get("leader").asText().isEmpty()));
        for (int i = 0; i < CLIENTS; i++) {
            start("client-" + i);
        }
    }

    private void writeConfig(String id, int grpcPort, int seed, String body) throws IOException {
        int httpPort = freePort();
        httpPorts.put(id, httpPort);
        Files.writeString(dir.resolve(id + ".yaml"), "id: " + id + "\nlisten: \"" + HOST + ":" + grpcPort
                + "\"\nhttp: \"" + HOST + ":" + httpPort + "\"\ndataDir: \"" + dir.resolve(id).toAbsolutePath()
                + "\"\nseed: " + (42 + seed) + "\n" + body);
    }

    private void start(String id) throws IOException {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StarlingCli.class.getName(),
                "node", "--config", dir.resolve(id + ".yaml").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile())).start();
        processes.put(id, p);
        everyStarted.add(p.toHandle());
    }

    private boolean allClientsConnected() {
        for (int i = 0; i < CLIENTS; i++) {
            if (metric("client-" + i, "starling_gossip_fallback").orElse(1.0) != 0.0) {
                return false;
            }
        }
        return true;
    }

    private List<JsonNode> replicaStatuses() {
        List<JsonNode> statuses = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            get("replica-" + i, "/api/status").map(this::parse).ifPresent(statuses::add);
        }
        return statuses;
    }

    private OptionalDouble meanGossipAccuracy() {
        double sum = 0;
        for (int i = 0; i < CLIENTS; i++) {
            Optional<Double> a = metric("client-" + i, "starling_gossip_accuracy").filter(v -> v >= 0);
            if (a.isEmpty()) {
                return OptionalDouble.empty();
            }
            sum += a.get();
        }
        return OptionalDouble.of(sum / CLIENTS);
    }

    private Optional<Double> metric(String id, String name) {
        return get(id, "/metrics").flatMap(text -> {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return Optional.of(Double.parseDouble(m.group(2)));
                }
            }
            return Optional.empty();
        });
    }

    private Optional<String> get(String id, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":"
                    + httpPorts.get(id) + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + path + " of " + id, e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("status is not JSON: " + body, e);
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
