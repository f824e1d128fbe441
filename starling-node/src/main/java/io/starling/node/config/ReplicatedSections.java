package io.starling.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.starling.node.config.NodeConfigLoader.Section;
import io.starling.core.StarlingException;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.grpc.AdminToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the YAML of the replicated aggregator: the {@code cluster} section of a replica and the
 * {@code client.replicas} form of a client. Every key is checked here, so a replica or client
 * never starts with a group it cannot form.
 */
final class ReplicatedSections {
    private static final Set<String> CLUSTER_KEYS = Set.of("groupId", "members", "join", "electionTimeoutMinMs",
            "electionTimeoutMaxMs", "updatesPerCheckpoint", "checkpointIntervalMs", "termLengthMs",
            "snapshotEveryEntries", "noLeaderTimeoutMs", "blobReplicationTimeoutMs", "commitTimeoutMs", "maxModelBytes",
            "adminTokenFile");
    private static final Set<String> GROUP_ONLY_KEYS = Set.of("replicas", "peers", "fallbackTimeoutMs", "probePeriodMs",
            "gossipPeriodMs", "attemptTimeoutMs");
    private static final Set<String> SINGLE_ONLY_KEYS = Set.of("aggregatorId", "aggregatorAddress", "modelTimeoutMs",
            "uploadBytesPerSecond");
    private static final String REPLICA_ID = "[A-Za-z0-9_-]{1,64}";
    private static final long DAY_MS = 86_400_000;

    private ReplicatedSections() {
    }

    /**
     * The {@code cluster} section of a replica with id {@code id}; with {@code votingClient}, of a
     * client that is also a voting member (its replica serves on the member entry's grpc address,
     * the client on {@code listen}).
     */
    static NodeConfig.Cluster cluster(Section top, String id, String listen, NodeConfig.Mode mode, boolean votingClient) {
        if (mode != NodeConfig.Mode.ASYNC) {
            throw new ConfigException("task.mode: the replicated aggregator commits checkpoints of whatever updates "
                    + "arrived (asynchronously); set mode: async");
        }
        if (!id.matches(REPLICA_ID)) {
            throw new ConfigException("id: '" + id + "' cannot name a replica (its Raft peer id); use 1..64 characters "
                    + "of [A-Za-z0-9_-]");
        }
        Section c = top.section("cluster", CLUSTER_KEYS);
        String groupId = c.string("groupId", null);
        try {
            UUID.fromString(groupId);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.path("groupId") + ": '" + groupId + "' is not a UUID; every replica of a group "
                    + "uses the same one (make one with `uuidgen`)", e);
        }
        List<NodeConfig.Member> members = members(c);
        NodeConfig.Member self = members.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new ConfigException(c.path("members") + ": this node's id '" + id + "' is not "
                        + "listed; add {id: " + id + ", raft: HOST:PORT, grpc: HOST:PORT}"));
        if (votingClient) {
            if (!top.node.has("listen") || listen.equals(self.grpc()) || listen.endsWith(":0")) {
                throw new ConfigException("listen: a client that is also a voting member serves gossip on listen and "
                        + "its replica on its member entry's grpc address (" + self.grpc() + "); give listen a fixed "
                        + "address of its own");
            }
        } else if (top.node.has("listen") && !listen.equals(self.grpc())) {
            throw new ConfigException("listen: a replica serves on its member entry's grpc address (" + self.grpc()
                    + "), but listen says " + listen + "; drop listen or make the two equal");
        }
        long electionMinMs = c.longValue("electionTimeoutMinMs", 150, 10, 60_000);
        long electionMaxMs = c.longValue("electionTimeoutMaxMs", Math.max(300, 2 * electionMinMs), 11, 120_000);
        if (electionMaxMs <= electionMinMs) {
            throw new ConfigException(c.path("electionTimeoutMaxMs") + ": " + electionMaxMs + " must exceed "
                    + "electionTimeoutMinMs (" + electionMinMs + "); Raft draws each timeout between the two");
        }
        NodeConfig.Cluster cluster = new NodeConfig.Cluster(groupId, members, c.bool("join", false), electionMinMs,
                electionMaxMs, (int) c.longValue("updatesPerCheckpoint", 4, 1, 4096),
                c.longValue("checkpointIntervalMs", 200, 1, DAY_MS), c.longValue("termLengthMs", 0, 0, 365 * DAY_MS),
                c.longValue("snapshotEveryEntries", 1024, 1, 1_000_000_000),
                c.longValue("noLeaderTimeoutMs", 3_000, 1, DAY_MS),
                c.longValue("blobReplicationTimeoutMs", 10_000, 1, DAY_MS),
                c.longValue("commitTimeoutMs", 5_000, 1, DAY_MS),
                c.longValue("maxModelBytes", 512L * 1024 * 1024, 1024, 1L << 40), adminToken(c));
        NodeConfigLoader.check("cluster", () -> cluster.aggregatorConfig(AggregatorConfig.DEFAULT_RULE,
                AggregatorConfig.DEFAULT_MAX_STALENESS));
        return cluster;
    }

    /** The admin token, read here once so that a missing or malformed token file stops the replica at start. */
    private static Optional<AdminToken> adminToken(Section c) {
        String file = c.string("adminTokenFile", "");
        if (file.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AdminToken.readFile(Path.of(file)));
        } catch (StarlingException e) {
            throw new ConfigException(c.path("adminTokenFile") + ": " + e.getMessage(), e);
        }
    }

    private static List<NodeConfig.Member> members(Section c) {
        JsonNode list = c.node.get("members");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConfigException(c.path("members") + ": required, a list of {id, raft, grpc}: every replica of "
                    + "the group with its Raft and Starling gRPC addresses (3 or 5 replicas tolerate 1 or 2 failures)");
        }
        List<NodeConfig.Member> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, String> addressOwners = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Section m = new Section(c.path("members") + "[" + i + "]", list.get(i), Set.of("id", "raft", "grpc"));
            String mid = m.string("id", null);
            if (!mid.matches(REPLICA_ID)) {
                throw new ConfigException(m.path("id") + ": '" + mid + "' is not a replica id; use 1..64 characters of "
                        + "[A-Za-z0-9_-]");
            }
            if (!ids.add(mid)) {
                throw new ConfigException(m.path("id") + ": replica '" + mid + "' is listed twice");
            }
            NodeConfig.Member member = new NodeConfig.Member(mid, fixedAddress(m, "raft"), fixedAddress(m, "grpc"));
            for (String key : List.of("raft", "grpc")) {
                String address = key.equals("raft") ? member.raft() : member.grpc();
                String owner = addressOwners.putIfAbsent(address, m.path(key));
                if (owner != null) {
                    throw new ConfigException(m.path(key) + ": " + address + " is already used by " + owner
                            + "; every Raft and gRPC address in the group must differ");
                }
            }
            out.add(member);
        }
        return out;
    }

    /** A "host:port" others dial, so port 0 (pick one) is refused. */
    private static String fixedAddress(Section s, String key) {
        String v = s.address(key, null);
        if (v.endsWith(":0")) {
            throw new ConfigException(s.path(key) + ": the other replicas and clients dial this address, so it needs a "
                    + "fixed port, not 0");
        }
        return v;
    }

    /** The {@code client} section of a client of a replicated group ({@code client.replicas} present). */
    /**
     * The replicated-group form of a client section. A client that is also a voting member
     * ({@code cluster} not null) reaches the group at the members' grpc addresses unless it lists
     * {@code replicas} itself.
     */
    static NodeConfig.Group group(Section c, String id, NodeConfig.Mode mode, NodeConfig.Cluster cluster) {
        for (String key : SINGLE_ONLY_KEYS) {
            if (c.node.has(key)) {
                throw new ConfigException(c.path(key) + ": only for a client of one aggregator; a client names either "
                        + "one aggregator (aggregatorId, aggregatorAddress, modelTimeoutMs, uploadBytesPerSecond) or a "
                        + "replicated group (replicas, peers and the fallback timings), not both");
            }
        }
        if (mode != NodeConfig.Mode.ASYNC) {
            throw new ConfigException("task.mode: the replicated aggregator commits checkpoints of whatever updates "
                    + "arrived (asynchronously); set mode: async");
        }
        List<NodeConfig.PeerRef> replicas = cluster != null && !c.node.has("replicas")
                ? cluster.members().stream().map(m -> new NodeConfig.PeerRef(m.id(), m.grpc())).toList()
                : refs(c, "replicas", true, "the group's replicas with their grpc addresses");
        List<NodeConfig.PeerRef> peers = refs(c, "peers", false, "other clients to gossip with when no leader answers");
        peers = peers.stream().filter(p -> !p.id().equals(id)).toList();
        long fallbackMs = c.longValue("fallbackTimeoutMs", 10_000, 1, DAY_MS);
        return new NodeConfig.Group(replicas, peers, fallbackMs, c.longValue("probePeriodMs", 2_000, 1, DAY_MS),
                c.longValue("gossipPeriodMs", 1_000, 1, DAY_MS), c.longValue("attemptTimeoutMs", 2_000, 1, DAY_MS));
    }

    /** A client of one aggregator may not carry the keys of a replicated group's client. */
    static void refuseGroupKeys(Section c) {
        for (String key : GROUP_ONLY_KEYS) {
            if (c.node.has(key)) {
                throw new ConfigException(c.path(key) + ": only for a client of a replicated group (with "
                        + c.path("replicas") + "); a client of one aggregator uses aggregatorId and aggregatorAddress");
            }
        }
    }

    private static List<NodeConfig.PeerRef> refs(Section c, String key, boolean required, String what) {
        JsonNode list = c.node.get(key);
        if (list == null || list.isNull()) {
            if (required) {
                throw new ConfigException(c.path(key) + ": required, a list of {id, address}: " + what);
            }
            return List.of();
        }
        if (!list.isArray() || (required && list.isEmpty())) {
            throw new ConfigException(c.path(key) + ": expected a " + (required ? "non-empty " : "")
                    + "list of {id, address}: " + what);
        }
        List<NodeConfig.PeerRef> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Section e = new Section(c.path(key) + "[" + i + "]", list.get(i), Set.of("id", "address"));
            NodeConfig.PeerRef ref = new NodeConfig.PeerRef(e.id("id"), e.address("address", null));
            if (!ids.add(ref.id())) {
                throw new ConfigException(e.path("id") + ": '" + ref.id() + "' is listed twice");
            }
            if (ref.address().endsWith(":0")) {
                throw new ConfigException(e.path("address") + ": port 0 cannot be dialled; give the port it listens on");
            }
            out.add(ref);
        }
        return out;
    }
}
