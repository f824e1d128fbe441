package io.starling.raft.harness;

import io.starling.core.param.ParamVector;
import io.starling.net.fault.FaultInjector;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.grpc.AdminToken;
import io.starling.raft.grpc.ReplicaServer;
import io.starling.raft.grpc.ReplicaSpec;
import io.starling.raft.history.HistoryRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One replica as its own OS process, for the kill -9 tests, the failover benchmark and the demo:
 * a {@link ReplicaServer} (the replicated aggregator behind its gRPC Aggregator, Blob and Cluster
 * services). Prints {@code READY <id>} once serving and runs until killed.
 *
 * <p>Arguments ({@code --name value}): {@code id}, {@code group} (UUID), {@code peers}
 * ({@code id=host:raftPort:grpcPort,...}), optional {@code join} ({@code true}: start with no
 * peers and wait to be added with {@code Cluster.AddMember}; {@code --peers} then names only this
 * replica), {@code task} and {@code model-spec} (what clients are told), {@code data} (directory),
 * {@code dim} (model size),
 * optional {@code history} (file), {@code election-ms} ({@code min:max}),
 * {@code rule} (aggregation rule spec), {@code max-staleness} (versions),
 * {@code updates-per-checkpoint}, {@code interval-ms}, {@code term-ms}, {@code snapshot-every},
 * {@code initial} (file holding the genesis model as {@link ParamVector#toBytes()}; default zeros),
 * {@code timeline-dir} (where to write a {@link ReplicaTimeline} named after the id and process id),
 * {@code faults} ({@code true}, for fault testing only: Raft and blob traffic obey rules keyed by
 * replica id that a test sets at run time over the replica's {@code FaultControl} service; off by
 * default), {@code admin-token-file} (file holding the group's {@link AdminToken}: membership
 * changes must present it; without one they are taken only from this host).
 */
public final class ReplicaProcessMain {
    private ReplicaProcessMain() {
    }

    /** A peer in the {@code --peers} list. */
    record Peer(String id, String host, int raftPort, int grpcPort) {
        static Peer parse(String spec) {
            String[] idRest = spec.split("=", 2);
            String[] parts = idRest.length == 2 ? idRest[1].split(":") : new String[0];
            if (parts.length != 3) {
                throw new IllegalArgumentException("peer '" + spec + "' must look like id=host:raftPort:grpcPort");
            }
            return new Peer(idRest[0], parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }

        String spec() {
            return id + "=" + host + ":" + raftPort + ":" + grpcPort;
        }

        String grpcAddress() {
            return host + ":" + grpcPort;
        }

        String raftAddress() {
            return host + ":" + raftPort;
        }

        PeerAddress raft() {
            return new PeerAddress(id, host, raftPort);
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
                .withRule(opts.getOrDefault("rule", AggregatorConfig.DEFAULT_RULE))
                .withMaxStaleness(Long.parseLong(opts.getOrDefault("max-staleness",
                        Long.toString(AggregatorConfig.DEFAULT_MAX_STALENESS))))
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

        boolean joining = Boolean.parseBoolean(opts.getOrDefault("join", "false"));
        List<PeerAddress> voters = joining ? List.of() : peers.stream().map(Peer::raft).toList();
        Map<String, String> grpcAddresses = new LinkedHashMap<>();
        peers.forEach(p -> grpcAddresses.put(p.id(), p.grpcAddress()));
        HistoryRecorder history = opts.containsKey("history") ? HistoryRecorder.open(Path.of(opts.get("history"))) : null;
        ReplicaSpec spec = new ReplicaSpec(config, self.raft(), self.host(), self.grpcPort(), voters, grpcAddresses,
                data, opts.getOrDefault("task", ReplicaSpec.DEFAULT_TASK), opts.getOrDefault("model-spec", "vector:" + dim));
        if (opts.containsKey("admin-token-file")) {
            spec = spec.withAdminToken(AdminToken.readFile(Path.of(opts.get("admin-token-file"))));
        }
        FaultInjector faults = Boolean.parseBoolean(opts.getOrDefault("faults", "false")) ? new FaultInjector(0) : null;
        ReplicaServer server = ReplicaServer.start(spec, initial, history, null, faults);
        if (opts.containsKey("timeline-dir")) {
            // Registered once started: only the first moments of the process go unrecorded, never a failover.
            server.replica().addListener(ReplicaTimeline.open(id, Path.of(opts.get("timeline-dir"))
                    .resolve("timeline-" + id + "-" + ProcessHandle.current().pid() + ".jsonl")));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
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
