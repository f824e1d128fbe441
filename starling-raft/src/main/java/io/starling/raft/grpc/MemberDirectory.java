package io.starling.raft.grpc;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where each replica's Starling gRPC server (Aggregator, Blob, Cluster) listens, so a replica can
 * redirect clients to the leader and push or fetch blobs from its peers. Addresses of members
 * added at run time live in the replicated settings under {@code member.<id>.grpc} (written by
 * {@code Cluster.AddMember} on the leader, so every replica learns them at the same log position);
 * the members a replica was started with are known from its start-up arguments.
 */
public final class MemberDirectory {
    private static final String PREFIX = "member.";
    private static final String SUFFIX = ".grpc";

    private final Map<String, String> startup;
    private final Supplier<SortedMap<String, String>> settings;

    /**
     * @param startup gRPC addresses known at start-up, by replica id
     * @param settings the replicated settings as currently applied
     */
    public MemberDirectory(Map<String, String> startup, Supplier<SortedMap<String, String>> settings) {
        this.startup = Map.copyOf(startup);
        this.settings = settings;
    }

    /** The settings key holding {@code replicaId}'s gRPC address. */
    public static String settingKey(String replicaId) {
        return PREFIX + replicaId + SUFFIX;
    }

    /** {@code replicaId}'s gRPC address ("host:port"), replicated settings first. */
    public Optional<String> grpcAddress(String replicaId) {
        String replicated = settings.get().get(settingKey(replicaId));
        if (replicated != null && !replicated.isEmpty()) {
            return Optional.of(replicated);
        }
        return Optional.ofNullable(startup.get(replicaId));
    }

    /** Every address this replica knows, by id. */
    public SortedMap<String, String> all() {
        SortedMap<String, String> out = new TreeMap<>(startup);
        settings.get().forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.endsWith(SUFFIX) && k.length() > PREFIX.length() + SUFFIX.length()) {
                String id = k.substring(PREFIX.length(), k.length() - SUFFIX.length());
                if (v.isEmpty()) {
                    out.remove(id);
                } else {
                    out.put(id, v);
                }
            }
        });
        return out;
    }
}
