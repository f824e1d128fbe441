package io.starling.raft.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.starling.net.proto.AddMemberRequest;
import io.starling.net.proto.ChainRequest;
import io.starling.net.proto.ChainResponse;
import io.starling.net.proto.ClusterGrpc;
import io.starling.net.proto.Member;
import io.starling.net.proto.MembersRequest;
import io.starling.net.proto.MembersResponse;
import io.starling.net.proto.RemoveMemberRequest;
import io.starling.net.proto.TransferLeadershipRequest;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.log.CheckpointCommitted;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Cluster} admin service of one replica, over {@link ReplicatedAggregator}'s
 * membership calls. Reads (Members, Chain) are answered by any replica from its own state;
 * changes (AddMember, RemoveMember, TransferLeadership) run on the leader, and a follower answers
 * with the same redirect as {@code SubmitUpdate}. A change that Ratis could not commit is ABORTED
 * with Ratis' reason; retrying it is safe.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    /** Largest page of {@code Chain}. */
    public static final int MAX_CHAIN_LIMIT = 100_000;
    /** Leadership transfer wait when the request gives none, ms. */
    public static final long DEFAULT_TRANSFER_TIMEOUT_MS = 10_000;

    private final ReplicatedAggregator replica;
    private final ReplicaBackend backend;
    private final MemberDirectory directory;
    private final LocalNode self;

    public ClusterService(ReplicatedAggregator replica, ReplicaBackend backend, MemberDirectory directory,
                          LocalNode self) {
        this.replica = replica;
        this.backend = backend;
        this.directory = directory;
        this.self = self;
    }

    @Override
    public void members(MembersRequest request, StreamObserver<MembersResponse> out) {
        serve(out, () -> {
            RequestChecks.sender(request.getHeader());
            return describe();
        });
    }

    @Override
    public void chain(ChainRequest request, StreamObserver<ChainResponse> out) {
        serve(out, () -> {
            RequestChecks.sender(request.getHeader());
            long after = RequestChecks.inRange("after_version", request.getAfterVersion(), -1, Long.MAX_VALUE);
            int limit = (int) RequestChecks.inRange("limit", request.getLimit(), 1, MAX_CHAIN_LIMIT);
            ChainResponse.Builder b = ChainResponse.newBuilder().setHeader(self.header());
            replica.chain().stream().filter(c -> c.version() > after).limit(limit)
                    .forEach(c -> b.addCheckpoints(CheckpointMessages.toProto(c)));
            return b.build();
        });
    }

    @Override
    public void addMember(AddMemberRequest request, StreamObserver<MembersResponse> out) {
        serve(out, () -> {
            RequestChecks.sender(request.getHeader());
            HostPort raft = HostPort.parse("raft_address", request.getRaftAddress());
            HostPort grpc = HostPort.parse("grpc_address", request.getGrpcAddress());
            PeerAddress peer;
            try {
                peer = new PeerAddress(request.getId(), raft.host(), raft.port());
            } catch (IllegalArgumentException e) {
                throw RejectedRequestException.malformed(e.getMessage());
            }
            requireLeader();
            if (replica.membership().containsKey(peer.id())) {
                throw new RejectedRequestException(RejectedRequestException.Reason.WRONG_STATE, "replica '" + peer.id()
                        + "' is already a member; remove it first to change its addresses or role");
            }
            // The newcomer knows only itself: replicate every member's address along with its own.
            Map<String, String> addresses = new java.util.TreeMap<>();
            Map<String, Boolean> members = replica.membership();
            directory.all().forEach((id, address) -> {
                if (members.containsKey(id)) {
                    addresses.put(MemberDirectory.settingKey(id), address);
                }
            });
            addresses.put(MemberDirectory.settingKey(peer.id()), grpc.toString());
            replica.proposeSettings(addresses);
            replica.addPeer(peer, request.getListener());
            return describe();
        });
    }

    @Override
    public void removeMember(RemoveMemberRequest request, StreamObserver<MembersResponse> out) {
        serve(out, () -> {
            RequestChecks.sender(request.getHeader());
            String id = requireMember(request.getId());
            requireLeader();
            replica.removePeer(id);
            // A leader that removed itself steps down and cannot propose; its stale address is harmless.
            if (!id.equals(replica.replicaId()) && replica.isLeader()) {
                replica.proposeSettings(Map.of(MemberDirectory.settingKey(id), ""));
            }
            return describe();
        });
    }

    @Override
    public void transferLeadership(TransferLeadershipRequest request, StreamObserver<MembersResponse> out) {
        serve(out, () -> {
            RequestChecks.sender(request.getHeader());
            String id = requireMember(request.getId());
            if (!Boolean.TRUE.equals(replica.membership().get(id))) {
                throw new RejectedRequestException(RejectedRequestException.Reason.WRONG_STATE,
                        "replica '" + id + "' is a listener; only a voter can lead");
            }
            long timeoutMs = RequestChecks.inRange("timeout_ms", request.getTimeoutMs(), 0, 600_000);
            requireLeader();
            if (!id.equals(replica.replicaId())) {
                replica.transferLeadership(id, timeoutMs == 0 ? DEFAULT_TRANSFER_TIMEOUT_MS : timeoutMs);
            }
            return describe();
        });
    }

    private void requireLeader() {
        if (!replica.isLeader()) {
            throw backend.redirect();
        }
    }

    private String requireMember(String id) throws IOException {
        RequestChecks.requireId("id", id);
        if (!replica.membership().containsKey(id)) {
            throw new RejectedRequestException(RejectedRequestException.Reason.MALFORMED, "replica '" + id
                    + "' is not a member; members are " + replica.membership().keySet());
        }
        return id;
    }

    private MembersResponse describe() throws IOException {
        MembersResponse.Builder b = MembersResponse.newBuilder().setHeader(self.header())
                .setReplicaId(replica.replicaId()).setRaftRole(replica.raftRole()).setServingLeader(replica.isLeader())
                .setHoldsLatestBlob(replica.holdsLatestBlob());
        Optional<String> leader = replica.leaderHint();
        leader.ifPresent(l -> {
            b.setLeaderId(l);
            directory.grpcAddress(l).ifPresent(b::setLeaderAddress);
        });
        Map<String, String> raftAddresses = replica.raftAddresses();
        replica.membership().forEach((id, voter) -> b.addMembers(Member.newBuilder().setId(id).setVoter(voter)
                .setRaftAddress(raftAddresses.getOrDefault(id, ""))
                .setGrpcAddress(directory.grpcAddress(id).orElse(""))));
        replica.latest().map(CheckpointMessages::toProto).ifPresent(b::setLatest);
        return b.build();
    }

    /** One call's work; may throw IOException when Ratis fails. */
    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> void serve(StreamObserver<T> out, Call<T> call) {
        T reply;
        try {
            reply = call.run();
        } catch (IOException e) {
            out.onError(Status.ABORTED.withDescription(e.getMessage() + "; the group is unchanged unless Members "
                    + "says otherwise, retrying is safe").asRuntimeException());
            return;
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }

    /** A checked "host:port". */
    record HostPort(String host, int port) {
        static HostPort parse(String field, String value) {
            int colon = value.lastIndexOf(':');
            if (value.isEmpty() || value.length() > RequestChecks.MAX_ADDRESS_CHARS || colon <= 0) {
                throw RejectedRequestException.malformed(field + " must be host:port, got '"
                        + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
            }
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(value.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw RejectedRequestException.malformed(field + " port must be 1..65535, got '"
                        + value.substring(colon + 1) + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
