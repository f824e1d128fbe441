package io.starling.raft.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.starling.net.proto.ClusterGrpc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who may change a replica group's membership. The {@code Cluster} calls that change the
 * group (AddMember, RemoveMember, TransferLeadership) need, when the replica has an
 * {@link AdminToken}, that token in the {@value AdminToken#HEADER_NAME} header (missing:
 * UNAUTHENTICATED, wrong: PERMISSION_DENIED); without a token they are taken only from the
 * replica's own host (a loopback caller), so that reaching the port from elsewhere is not enough
 * to change the group. Reads (Members, Chain) and the other services are not guarded here.
 */
final class ClusterAdminGuard implements ServerInterceptor {
    private static final Set<String> CHANGES = Set.of(ClusterGrpc.getAddMemberMethod().getFullMethodName(),
            ClusterGrpc.getRemoveMemberMethod().getFullMethodName(),
            ClusterGrpc.getTransferLeadershipMethod().getFullMethodName());

    private final String replicaId;
    private final Optional<AdminToken> token;

    ClusterAdminGuard(String replicaId, Optional<AdminToken> token) {
        this.replicaId = replicaId;
        this.token = token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Optional<Status> refusal = refusal(call.getMethodDescriptor().getFullMethodName(),
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers.get(AdminToken.HEADER));
        if (refusal.isEmpty()) {
            return next.startCall(call, headers);
        }
        call.close(refusal.get(), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    /**
     * Why a call to {@code fullMethodName} from {@code caller} presenting {@code presented} is
     * refused, or empty when it may proceed.
     */
    Optional<Status> refusal(String fullMethodName, SocketAddress caller, String presented) {
        if (!CHANGES.contains(fullMethodName)) {
            return Optional.empty();
        }
        String call = fullMethodName.substring(fullMethodName.lastIndexOf('.') + 1).replace('/', '.');
        if (token.isPresent()) {
            if (presented == null) {
                return Optional.of(Status.UNAUTHENTICATED.withDescription(call + " changes the group and needs its"
                        + " admin token in the " + AdminToken.HEADER_NAME + " header (starling cluster ..."
                        + " --token-file FILE)"));
            }
            if (!token.get().matches(presented)) {
                return Optional.of(Status.PERMISSION_DENIED.withDescription("the admin token presented for " + call
                        + " is not replica " + replicaId + "'s; use the token file the replicas were started with"));
            }
            return Optional.empty();
        }
        if (caller instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of(Status.PERMISSION_DENIED.withDescription("replica " + replicaId + " has no admin token,"
                + " so it takes " + call + " only from its own host (this call came from " + caller + "); run the"
                + " command there, or start every replica with an admin token file and pass --token-file"));
    }
}
