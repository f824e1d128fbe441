package io.starling.protocol;

import java.util.List;

/**
 * A sans-IO protocol state machine: it consumes {@link Event}s and returns the {@link Action}s
 * its environment must carry out. It never reads a clock, sleeps, opens a socket or draws global
 * randomness: time arrives as {@code nowMs}, randomness through an injected {@link Rng}, and all
 * IO goes out as actions. The discrete-event simulator and the networked node drive the same
 * implementations.
 */
public interface ProtocolNode {
    /** This node's identity. */
    NodeId id();

    /**
     * Handles one event at virtual or wall time {@code nowMs} (milliseconds since the run began)
     * and returns the actions to perform, in order. Must not block.
     */
    List<Action> handle(Event event, long nowMs);
}
