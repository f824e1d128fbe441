package io.starling.node.local;

import io.starling.node.config.NodeConfig;
import java.io.IOException;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The node configs of {@code starling local --aggregators A} with A > 1: A replicas forming one
 * replicated aggregator group (fixed Raft and gRPC ports on 127.0.0.1, a fresh group id) and N
 * clients of that group, each knowing every replica and a few other clients as gossip fallback
 * peers.
 */
final class ReplicatedLaunch {
    /** The replicas average each checkpoint's batch of updates, weighted by samples. */
    static final String RULE = "fedavg";
    private static final String HOST = "127.0.0.1";
    private static final int FALLBACK_PEERS = 3;

    /** Starts one node process from its role-specific YAML. */
    interface Launcher {
        void launch(String id, NodeConfig.Role role, int grpcPort, String body) throws IOException;
    }

    /** The {@code data} section of client {@code index} of {@code clients}. */
    interface DataSection {
        String of(int index, int clients);
    }

    private final LocalOptions options;
    private final IntSupplier freePort;
    private final StringBuilder replicas = new StringBuilder();

    ReplicatedLaunch(LocalOptions options, IntSupplier freePort) {
        this.options = options;
        this.freePort = freePort;
    }

    /**
     * Starts the replicas. Election timeouts are 400-800 ms rather than Ratis' 150-300 ms: a
     * machine running a whole federation is busy, and with the shorter ones a replica JVM paused
     * for a few hundred ms while the others start cost the leader its term again and again.
     */
    void launchReplicas(Launcher launcher, String task) throws IOException {
        int a = options.aggregators();
        int n = options.clients();
        int[] raft = new int[a];
        int[] grpc = new int[a];
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < a; i++) {
            raft[i] = freePort.getAsInt();
            grpc[i] = freePort.getAsInt();
            members.append("    - {id: replica-").append(i).append(", raft: \"").append(HOST).append(':').append(raft[i])
                    .append("\", grpc: \"").append(HOST).append(':').append(grpc[i]).append("\"}\n");
            replicas.append("    - {id: replica-").append(i).append(", address: \"").append(HOST).append(':')
                    .append(grpc[i]).append("\"}\n");
        }
        String cluster = "cluster:\n  groupId: " + UUID.randomUUID() + "\n  updatesPerCheckpoint: "
                + Math.max(1, Math.min(3, n - 1)) + "\n  checkpointIntervalMs: 500\n  electionTimeoutMinMs: 400\n"
                + "  electionTimeoutMaxMs: 800\n  members:\n" + members;
        for (int i = 0; i < a; i++) {
            launcher.launch("replica-" + i, NodeConfig.Role.REPLICA, grpc[i], "role: replica\n" + task + cluster);
        }
    }

    /** Starts the clients of the group the replicas form; call after {@link #launchReplicas}. */
    void launchClients(Launcher launcher, String task, String train, DataSection data) throws IOException {
        int n = options.clients();
        int[] clientPorts = new int[n];
        for (int i = 0; i < n; i++) {
            clientPorts[i] = freePort.getAsInt();
        }
        for (int i = 0; i < n; i++) {
            StringBuilder peers = new StringBuilder();
            for (int k = 1; k <= Math.min(FALLBACK_PEERS, n - 1); k++) {
                int j = (i + k) % n;
                peers.append("    - {id: client-").append(j).append(", address: \"").append(HOST).append(':')
                        .append(clientPorts[j]).append("\"}\n");
            }
            launcher.launch("client-" + i, NodeConfig.Role.CLIENT, clientPorts[i], "role: client\n" + task + train
                    + "client:\n  fallbackTimeoutMs: 15000\n  probePeriodMs: 2000\n  gossipPeriodMs: 1000\n"
                    + "  replicas:\n" + replicas + (peers.isEmpty() ? "" : "  peers:\n" + peers) + data.of(i, n));
        }
    }
}
