package io.starling.raft.harness;

import io.starling.core.aggregate.FedAvg;
import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.history.HistoryRecorder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One replica as its own OS process, for the kill -9 tests and the failover benchmark:
 * a {@link ReplicatedAggregator} with {@link HttpBlobReplicator} and a {@link ReplicaHttpEndpoint}.
 * Prints {@code READY <id>} once serving and runs until killed.
 *
 * <p>Arguments ({@code --name value}): {@code id}, {@code group} (UUID), {@code peers}
 * ({@code id=host:raftPort:httpPort,...}), {@code data} (directory), {@code dim} (model size),
 * optional {@code history} (file), {@code election-ms} ({@code min:max}),
 * {@code updates-per-checkpoint}, {@code interval-ms}, {@code term-ms}, {@code snapshot-every},
 * {@code initial} (file holding the genesis model as {@link ParamVector#toBytes()}; default zeros),
 * {@code timeline-dir} (where to write a {@link ReplicaTimeline} named after the id and process id).
 */
public final class ReplicaProcessMain {
    private ReplicaProcessMain() {
    }

    /** A peer in the {@code --peers} list. */
    record Peer(String id, String host, int raftPort, int httpPort) {
        static Peer parse(String spec) {
            String[] idRest = spec.split("=", 2);
            String[] parts = idRest[1].split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("peer '" + spec + "' must look like id=host:raftPort:httpPort");
            }
            return new Peer(idRest[0], parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }

        String spec() {
            return id + "=" + host + ":" + raftPort + ":" + httpPort;
        }

        URI http() {
            return URI.create("http://" + host + ":" + httpPort);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String id = require(opts, "id");
        List<Peer> peers = new ArrayList<>();
        for (String p : require(opts, "peers").split(",")) {
            peers.add(Peer.parse(p));
        }
        Peer self = peers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--id " + id + " is not in --peers"));
        String[] election = opts.getOrDefault("election-ms", "150:300").split(":");
        AggregatorConfig config = AggregatorConfig.defaults(require(opts, "group"))
                .withUpdatesPerCheckpoint(Integer.parseInt(opts.getOrDefault("updates-per-checkpoint", "3")))
                .withCheckpointIntervalMs(Long.parseLong(opts.getOrDefault("interval-ms", "100")))
                .withTermLengthMs(Long.parseLong(opts.getOrDefault("term-ms", "0")))
                .withElectionTimeoutMs(Long.parseLong(election[0]), Long.parseLong(election[1]))
                .withSnapshots(Long.parseLong(opts.getOrDefault("snapshot-every", "64")), 64 * 1024)
                .withTimeouts(5_000, 5_000);
        Path data = Path.of(require(opts, "data"));
        int dim = Integer.parseInt(require(opts, "dim"));
        ParamVector initial = opts.containsKey("initial")
                ? ParamVector.fromBytes(java.nio.file.Files.readAllBytes(Path.of(opts.get("initial")))).requireSize("--initial model", dim)
                : ParamVector.zeros(dim);

        List<PeerAddress> voters = peers.stream().map(p -> new PeerAddress(p.id(), p.host(), p.raftPort())).toList();
        Map<String, URI> others = new HashMap<>();
        peers.stream().filter(p -> !p.id().equals(id)).forEach(p -> others.put(p.id(), p.http()));
        DirectoryBlobStore blobs = new DirectoryBlobStore(data.resolve("blobs"), config.maxModelBytes());
        HistoryRecorder history = opts.containsKey("history") ? HistoryRecorder.open(Path.of(opts.get("history"))) : null;
        ReplicatedAggregator replica = new ReplicatedAggregator(config,
                new PeerAddress(self.id(), self.host(), self.raftPort()), voters, List.of(), data, blobs,
                new HttpBlobReplicator(others, Duration.ofSeconds(30)), new FedAvg(), initial, history);
        if (opts.containsKey("timeline-dir")) {
            replica.addListener(ReplicaTimeline.open(id, Path.of(opts.get("timeline-dir"))
                    .resolve("timeline-" + id + "-" + ProcessHandle.current().pid() + ".jsonl")));
        }
        ReplicaHttpEndpoint http = new ReplicaHttpEndpoint(replica, blobs, self.host(), self.httpPort(),
                config.maxModelBytes() + 4096);
        replica.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            try {
                replica.close();
            } catch (Exception e) {
                System.err.println("close failed: " + e);
            }
            if (history != null) {
                history.close();
            }
            stopped.countDown();
        }));
        System.out.println("READY " + id);
        System.out.flush();
        stopped.await();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
