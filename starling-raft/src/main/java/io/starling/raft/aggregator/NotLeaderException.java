package io.starling.raft.aggregator;

import io.starling.core.StarlingException;
import java.util.Optional;

/**
 * The replica asked to aggregate is not (or no longer) the leader. Resend the update to
 * {@link #leaderHint()} when present, otherwise to another replica; resending is safe because
 * updates are idempotent by id.
 */
public final class NotLeaderException extends StarlingException {
    private final String leaderHint;

    public NotLeaderException(String replicaId, Optional<String> leaderHint) {
        super("replica " + replicaId + " is not the leader"
                + leaderHint.map(l -> "; resend to " + l).orElse("; no leader known yet, retry shortly"));
        this.leaderHint = leaderHint.orElse(null);
    }

    public Optional<String> leaderHint() {
        return Optional.ofNullable(leaderHint);
    }
}
