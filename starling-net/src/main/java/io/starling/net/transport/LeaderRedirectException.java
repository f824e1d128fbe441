package io.starling.net.transport;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.StarlingException;
import java.util.Optional;

/**
 * A request that only the leader of a replicated group may serve reached a replica that does not
 * lead. On the wire it is FAILED_PRECONDITION whose trailers carry {@link #NOT_LEADER} (the
 * refusing replica) and, when known, {@link #LEADER_ID} and {@link #LEADER_ADDRESS}, so a client
 * can resend to the leader without another round trip; {@link #fromStatus} reads them back.
 */
public final class LeaderRedirectException extends StarlingException {
    /** Id of the replica that refused: present on every redirect. */
    public static final Metadata.Key<String> NOT_LEADER =
            Metadata.Key.of("starling-not-leader", Metadata.ASCII_STRING_MARSHALLER);
    /** Id of the leader the refusing replica believes in. */
    public static final Metadata.Key<String> LEADER_ID =
            Metadata.Key.of("starling-leader-id", Metadata.ASCII_STRING_MARSHALLER);
    /** "host:port" of that leader's Starling gRPC server. */
    public static final Metadata.Key<String> LEADER_ADDRESS =
            Metadata.Key.of("starling-leader-address", Metadata.ASCII_STRING_MARSHALLER);

    private final String replicaId;
    private final String leaderId;
    private final String leaderAddress;

    /**
     * @param replicaId the replica that does not lead
     * @param leaderId the leader it believes in, if any
     * @param leaderAddress that leader's gRPC address, if known
     */
    public LeaderRedirectException(String replicaId, Optional<String> leaderId, Optional<String> leaderAddress) {
        super("replica " + replicaId + " is not the leader"
                + leaderId.map(l -> "; resend to " + l + leaderAddress.map(a -> " at " + a).orElse(""))
                        .orElse("; no leader is known yet, retry shortly"));
        this.replicaId = replicaId;
        this.leaderId = leaderId.orElse(null);
        this.leaderAddress = leaderId.isPresent() ? leaderAddress.orElse(null) : null;
    }

    public String replicaId() {
        return replicaId;
    }

    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    public Optional<String> leaderAddress() {
        return Optional.ofNullable(leaderAddress);
    }

    /** FAILED_PRECONDITION with this message and the leader hint in the trailers. */
    public StatusRuntimeException toStatus() {
        Metadata trailers = new Metadata();
        trailers.put(NOT_LEADER, replicaId);
        leaderId().ifPresent(l -> trailers.put(LEADER_ID, l));
        leaderAddress().ifPresent(a -> trailers.put(LEADER_ADDRESS, a));
        return Status.FAILED_PRECONDITION.withDescription(getMessage()).asRuntimeException(trailers);
    }

    /** The redirect a status carries, or empty when it is another failure. */
    public static Optional<LeaderRedirectException> fromStatus(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION || trailers == null
                || trailers.get(NOT_LEADER) == null) {
            return Optional.empty();
        }
        return Optional.of(new LeaderRedirectException(trailers.get(NOT_LEADER),
                Optional.ofNullable(trailers.get(LEADER_ID)), Optional.ofNullable(trailers.get(LEADER_ADDRESS))));
    }
}
