package io.starling.raft.grpc;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.starling.core.StarlingException;
import io.starling.net.proto.AddMemberRequest;
import io.starling.net.proto.ChainRequest;
import io.starling.net.proto.ClusterGrpc;
import io.starling.net.proto.MembersRequest;
import io.starling.net.proto.MembersResponse;
import io.starling.net.proto.RemoveMemberRequest;
import io.starling.net.proto.TransferLeadershipRequest;
import io.starling.net.transport.LeaderRedirectException;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.protocol.NodeId;
import io.starling.raft.log.CheckpointCommitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The caller's side of one replica's {@code Cluster} service: reads its view of the group and its
 * chain, and changes the group. A change sent to a follower is resent to the leader its redirect
 * names (at most {@link #MAX_REDIRECTS} times), so the caller may target any member.
 */
public final class ClusterClient {
    /** Redirects followed before giving up (a leader change during the call may need two). */
    public static final int MAX_REDIRECTS = 3;
    /** Checkpoints asked for per {@code Chain} call. */
    private static final int CHAIN_PAGE = 10_000;

    private final PeerChannels channels;
    private final LocalNode self;
    private final String target;
    private final long timeoutMs;
    private final Optional<AdminToken> token;

    /**
     * @param target "host:port" of any replica's gRPC server
     * @param timeoutMs deadline of each call; membership changes wait for Ratis, give them seconds
     */
    public ClusterClient(PeerChannels channels, LocalNode self, String target, long timeoutMs) {
        this(channels, self, target, timeoutMs, Optional.empty());
    }

    private ClusterClient(PeerChannels channels, LocalNode self, String target, long timeoutMs,
                          Optional<AdminToken> token) {
        this.channels = channels;
        this.self = self;
        this.target = target;
        this.timeoutMs = timeoutMs;
        this.token = token;
    }

    /** This client presenting {@code token} on every call (membership changes need it when the group has one). */
    public ClusterClient withAdminToken(AdminToken token) {
        return new ClusterClient(channels, self, target, timeoutMs, Optional.of(token));
    }

    public String target() {
        return target;
    }

    private ClusterGrpc.ClusterBlockingStub stub(String address) {
        ClusterGrpc.ClusterBlockingStub stub = ClusterGrpc.newBlockingStub(
                        channels.to(NodeId.of("replica@" + address.replace(':', '_')), address))
                .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
        if (token.isEmpty()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(AdminToken.HEADER, token.get().value());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The target's view of the group. */
    public MembersResponse members() {
        return stub(target).members(MembersRequest.newBuilder().setHeader(self.header()).build());
    }

    /** The target's view, or empty when it does not answer in time. */
    public Optional<MembersResponse> tryMembers() {
        try {
            return Optional.of(members());
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** The target's committed chain, oldest first. */
    public List<CheckpointCommitted> chain() {
        List<CheckpointCommitted> out = new ArrayList<>();
        long after = -1;
        while (true) {
            var page = stub(target).chain(ChainRequest.newBuilder().setHeader(self.header()).setAfterVersion(after)
                    .setLimit(CHAIN_PAGE).build());
            page.getCheckpointsList().forEach(c -> out.add(CheckpointMessages.fromProto(c)));
            if (page.getCheckpointsCount() < CHAIN_PAGE) {
                return out;
            }
            after = out.getLast().version();
        }
    }

    /** Adds a running replica (started with no peers) as a voter, or a listener. */
    public MembersResponse addMember(String id, String raftAddress, String grpcAddress, boolean listener) {
        return onLeader(s -> s.addMember(AddMemberRequest.newBuilder().setHeader(self.header()).setId(id)
                .setRaftAddress(raftAddress).setGrpcAddress(grpcAddress).setListener(listener).build()));
    }

    public MembersResponse removeMember(String id) {
        return onLeader(s -> s.removeMember(RemoveMemberRequest.newBuilder().setHeader(self.header()).setId(id).build()));
    }

    /** Asks the leader to hand over to voter {@code id}; {@code waitMs} 0 for the server's default. */
    public MembersResponse transferLeadership(String id, long waitMs) {
        return onLeader(s -> s.transferLeadership(TransferLeadershipRequest.newBuilder().setHeader(self.header())
                .setId(id).setTimeoutMs(waitMs).build()));
    }

    private MembersResponse onLeader(Function<ClusterGrpc.ClusterBlockingStub, MembersResponse> call) {
        String address = target;
        List<String> path = new ArrayList<>();
        for (int hop = 0; ; hop++) {
            path.add(address);
            try {
                return call.apply(stub(address));
            } catch (StatusRuntimeException e) {
                Optional<LeaderRedirectException> redirect = LeaderRedirectException.fromStatus(e);
                if (redirect.isEmpty()) {
                    throw e;
                }
                Optional<String> next = redirect.get().leaderAddress();
                if (next.isEmpty() || hop >= MAX_REDIRECTS) {
                    throw new StarlingException(redirect.get().getMessage() + " (asked " + String.join(" -> ", path)
                            + "); retry when a leader is elected", e);
                }
                address = next.get();
            }
        }
    }
}
