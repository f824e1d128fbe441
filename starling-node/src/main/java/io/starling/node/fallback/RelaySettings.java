package io.starling.node.fallback;

/**
 * How a group client looks for a committed model among its peers before it asks the replicas.
 * Clients usually learn of a commit together (it acknowledges their updates), so the first ask
 * finds no peer holding it yet; later rounds, after a random pause, find the clients that fetched
 * it from a replica meanwhile. Every attempt has a deadline; a peer that is down, slow or lacks
 * the blob costs one attempt, then the next source is asked.
 *
 * @param peersPerRound distinct random peers asked per round, >= 0 (0 turns relaying off)
 * @param peerRounds rounds of peer asks before the replicas are asked, >= 1
 * @param peerPauseMs upper bound of the random pause before each round after the first, ms, >= 0
 * @param attemptTimeoutMs deadline of one source's {@code Stat}; a transfer's deadline adds time
 *     per byte on top, ms, > 0
 */
public record RelaySettings(int peersPerRound, int peerRounds, long peerPauseMs, long attemptTimeoutMs) {
    public RelaySettings {
        if (peersPerRound < 0) {
            throw new IllegalArgumentException("peersPerRound must be >= 0, got " + peersPerRound);
        }
        if (peerRounds < 1) {
            throw new IllegalArgumentException("peerRounds must be >= 1, got " + peerRounds);
        }
        if (peerPauseMs < 0) {
            throw new IllegalArgumentException("peerPauseMs must be >= 0, got " + peerPauseMs);
        }
        if (attemptTimeoutMs <= 0) {
            throw new IllegalArgumentException("attemptTimeoutMs must be > 0, got " + attemptTimeoutMs);
        }
    }

    /** Two peers per round, three rounds, pauses up to 200 ms, 1 s per attempt. */
    public static RelaySettings defaults() {
        return new RelaySettings(2, 3, 200, 1_000);
    }

    /** No relaying: followers, then the leader. */
    public static RelaySettings replicasOnly() {
        return new RelaySettings(0, 1, 0, 1_000);
    }
}
