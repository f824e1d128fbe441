package io.starling.raft.grpc;

import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.PeerAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one replica needs to know to start serving over gRPC.
 *
 * @param aggregator group and aggregation settings
 * @param self this replica's id and Raft address
 * @param grpcHost where its Starling gRPC server binds and is advertised
 * @param grpcPort that server's port (a real port: peers are told it before it binds)
 * @param voters the initial voters including {@code self}; empty for a replica that will be added
 *     at run time ({@code Cluster.AddMember})
 * @param grpcAddresses the gRPC address of every initial voter, by id
 * @param dataDir this replica's directory (Raft log, snapshots, blobs)
 * @param taskId the task the group trains
 * @param modelSpec the model spec announced to clients
 * @param adminToken the token membership changes must present ({@link ClusterAdminGuard}); empty:
 *     changes are taken only from the replica's own host
 */
public record ReplicaSpec(AggregatorConfig aggregator, PeerAddress self, String grpcHost, int grpcPort,
                          List<PeerAddress> voters, Map<String, String> grpcAddresses, Path dataDir, String taskId,
                          String modelSpec, Optional<AdminToken> adminToken) {
    /** The task id used when none is configured. */
    public static final String DEFAULT_TASK = "starling";

    public ReplicaSpec {
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(self, "self");
        if (grpcPort < 1 || grpcPort > 65535) {
            throw new IllegalArgumentException("grpcPort must be 1..65535, got " + grpcPort);
        }
        voters = List.copyOf(voters);
        grpcAddresses = Map.copyOf(grpcAddresses);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(modelSpec, "modelSpec");
        Objects.requireNonNull(adminToken, "adminToken");
    }

    /** A replica without an admin token. */
    public ReplicaSpec(AggregatorConfig aggregator, PeerAddress self, String grpcHost, int grpcPort,
                       List<PeerAddress> voters, Map<String, String> grpcAddresses, Path dataDir, String taskId,
                       String modelSpec) {
        this(aggregator, self, grpcHost, grpcPort, voters, grpcAddresses, dataDir, taskId, modelSpec, Optional.empty());
    }

    /** This spec with membership changes guarded by {@code token}. */
    public ReplicaSpec withAdminToken(AdminToken token) {
        return new ReplicaSpec(aggregator, self, grpcHost, grpcPort, voters, grpcAddresses, dataDir, taskId, modelSpec,
                Optional.of(token));
    }

    public String grpcAddress() {
        return grpcHost + ":" + grpcPort;
    }
}
