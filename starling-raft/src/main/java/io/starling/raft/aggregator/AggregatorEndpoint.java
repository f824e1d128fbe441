package io.starling.raft.aggregator;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How a client reaches one replica: in-process (a {@link ReplicatedAggregator}) or, in the
 * networked node, a gRPC stub of the {@code Aggregator} service.
 */
public interface AggregatorEndpoint {
    String replicaId();

    /**
     * Offers an update. The future completes with an {@link UpdateAck} once a committed checkpoint
     * includes the update; it fails with {@link NotLeaderException} when this replica does not
     * lead, or {@link UpdateRejectedException} when the update is malformed or too stale. It may also never
     * complete (the leader died): callers bound their wait and resend.
     */
    CompletableFuture<UpdateAck> submit(ClientUpdate update);

    /** The leader this replica believes in, if any. */
    Optional<String> leaderHint();
}
