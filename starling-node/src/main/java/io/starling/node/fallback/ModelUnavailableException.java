package io.starling.node.fallback;

import io.starling.core.StarlingException;

/**
 * No source delivered a committed model's blob: every peer asked, every follower and the leader
 * were down, too slow, or did not hold it. The client asks again at its next probe; if this
 * persists, check that the replicas named in {@code client.replicas} are reachable.
 */
public final class ModelUnavailableException extends StarlingException {
    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
