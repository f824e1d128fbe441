package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.StatusRuntimeException;
import io.starling.core.StarlingException;
import io.starling.net.proto.Member;
import io.starling.net.proto.MembersResponse;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.raft.grpc.AdminToken;
import io.starling.raft.grpc.ClusterClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling cluster members|add|remove|transfer}: inspect and change a replicated aggregator
 * group at run time through any replica's gRPC {@code Cluster} service. Changes are made by the
 * leader; a follower's redirect is followed automatically.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Inspect and change a replicated aggregator group: list members, add or remove a replica, "
                + "hand leadership over. TARGET is any replica's gRPC address; changes are redirected to the leader.",
        subcommands = {ClusterCommand.Members.class, ClusterCommand.Add.class, ClusterCommand.Remove.class,
            ClusterCommand.Transfer.class})
final class ClusterCommand {
    /** Options every cluster subcommand takes. */
    static final class Target {
        @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
                description = "any replica's gRPC address (its Aggregator/Blob/Cluster server)")
        String target;

        @Option(names = "--json", description = "print the resulting group view as JSON")
        boolean json;

        @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:STARLING_ADMIN_TOKEN_FILE}",
                description = "file holding the group's admin token, needed by add, remove and transfer when the "
                        + "replicas were started with one (default: $STARLING_ADMIN_TOKEN_FILE); replicas without a "
                        + "token take changes only from their own host")
        java.nio.file.Path tokenFile;

        @Option(names = "--timeout-ms", defaultValue = "15000", paramLabel = "MS",
                description = "deadline of each call, ms (default: ${DEFAULT-VALUE}); membership changes wait for "
                        + "Raft to commit them")
        long timeoutMs;

        /** Runs {@code call} against the target and prints the group view it returns. */
        int run(CommandSpec spec, Function<ClusterClient, MembersResponse> call) {
            if (!target.matches("[^:/\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("--target must be HOST:PORT, got '" + target + "'");
            }
            if (timeoutMs < 1) {
                throw new IllegalArgumentException("--timeout-ms must be >= 1, got " + timeoutMs);
            }
            LocalNode self = LocalNode.of("starling-cli", "");
            try (PeerChannels channels = new PeerChannels(self, TransportOptions.defaults(), null)) {
                ClusterClient client = new ClusterClient(channels, self, target, timeoutMs);
                if (tokenFile != null) {
                    client = client.withAdminToken(AdminToken.readFile(tokenFile));
                }
                MembersResponse view = call.apply(client);
                print(spec.commandLine().getOut(), view);
                return StarlingCli.EXIT_OK;
            } catch (StatusRuntimeException e) {
                throw new StarlingException(describe(e));
            }
        }

        private String describe(StatusRuntimeException e) {
            String what = e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription();
            return switch (e.getStatus().getCode()) {
                case UNAVAILABLE -> "no replica answers at " + target + what + "; is it running and is this its gRPC port?";
                case DEADLINE_EXCEEDED -> target + " did not answer within " + timeoutMs + " ms" + what
                        + "; raise --timeout-ms or check that the group has a leader";
                default -> target + " refused: " + e.getStatus().getCode() + what;
            };
        }

        private void print(PrintWriter out, MembersResponse m) {
            if (json) {
                try {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(m)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("cannot render JSON", e);
                }
                return;
            }
            out.printf(Locale.ROOT, "replica   %s (%s%s) at %s%n", m.getReplicaId(), m.getRaftRole(),
                    m.getServingLeader() ? ", serving" : "", target);
            out.printf(Locale.ROOT, "leader    %s%n", m.getLeaderId().isEmpty() ? "none known"
                    : m.getLeaderId() + (m.getLeaderAddress().isEmpty() ? "" : " at " + m.getLeaderAddress()));
            out.printf(Locale.ROOT, "latest    %s%n", !m.hasLatest() ? "no checkpoint yet"
                    : String.format(Locale.ROOT, "v%d by %s, model %s (%s here)", m.getLatest().getVersion(),
                            m.getLatest().getProposer(), m.getLatest().getDigest().substring(0, 12),
                            m.getHoldsLatestBlob() ? "held" : "not yet held"));
            long voters = m.getMembersList().stream().filter(Member::getVoter).count();
            out.printf(Locale.ROOT, "members   %d voters, %d listeners%n", voters, m.getMembersCount() - voters);
            for (Member x : m.getMembersList()) {
                out.printf(Locale.ROOT, "  %-12s %-8s raft %-21s grpc %s%n", x.getId(), x.getVoter() ? "voter" : "listener",
                        x.getRaftAddress(), x.getGrpcAddress().isEmpty() ? "?" : x.getGrpcAddress());
            }
        }

        private static Map<String, Object> toJson(MembersResponse m) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("replica", m.getReplicaId());
            j.put("raft_role", m.getRaftRole());
            j.put("serving_leader", m.getServingLeader());
            j.put("leader", m.getLeaderId().isEmpty() ? null : m.getLeaderId());
            j.put("leader_address", m.getLeaderAddress().isEmpty() ? null : m.getLeaderAddress());
            List<Map<String, Object>> members = new ArrayList<>();
            for (Member x : m.getMembersList()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("id", x.getId());
                e.put("voter", x.getVoter());
                e.put("raft_address", x.getRaftAddress());
                e.put("grpc_address", x.getGrpcAddress().isEmpty() ? null : x.getGrpcAddress());
                members.add(e);
            }
            j.put("members", members);
            if (m.hasLatest()) {
                Map<String, Object> latest = new LinkedHashMap<>();
                latest.put("version", m.getLatest().getVersion());
                latest.put("proposer", m.getLatest().getProposer());
                latest.put("digest", m.getLatest().getDigest());
                j.put("latest", latest);
            } else {
                j.put("latest", null);
            }
            j.put("holds_latest_blob", m.getHoldsLatestBlob());
            return j;
        }
    }

    @Command(name = "members", mixinStandardHelpOptions = true,
            description = "Show the target replica's view: its role, the leader, the members and its latest checkpoint.")
    static final class Members implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Override
        public Integer call() {
            return target.run(spec, ClusterClient::members);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a running replica (started with no peers, e.g. `--join true`) as a voter or listener. "
                    + "It catches up from the leader's snapshot and log and fetches the latest model blob.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Option(names = "--id", required = true, description = "the new replica's id ([A-Za-z0-9_-], 1..64 chars)")
        String id;

        @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT", description = "its Raft address")
        String raftAddress;

        @Option(names = "--grpc-address", required = true, paramLabel = "HOST:PORT",
                description = "its gRPC address (peers push and fetch model blobs there)")
        String grpcAddress;

        @Option(names = "--listener", description = "add it as a non-voting listener that follows the state")
        boolean listener;

        @Override
        public Integer call() {
            return target.run(spec, c -> c.addMember(id, raftAddress, grpcAddress, listener));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a voter or listener from the group.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Option(names = "--id", required = true, description = "the replica to remove")
        String id;

        @Override
        public Integer call() {
            return target.run(spec, c -> c.removeMember(id));
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = "Hand leadership to another voter; returns once it leads.")
    static final class Transfer implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Target target;

        @Option(names = "--id", required = true, description = "the voter that should lead")
        String id;

        @Option(names = "--wait-ms", defaultValue = "10000", paramLabel = "MS",
                description = "how long the leader waits for the handover, ms (default: ${DEFAULT-VALUE})")
        long waitMs;

        @Override
        public Integer call() {
            if (waitMs < 1 || waitMs > 600_000) {
                throw new IllegalArgumentException("--wait-ms must be 1..600000, got " + waitMs);
            }
            return target.run(spec, c -> c.transferLeadership(id, waitMs));
        }
    }
}
