package io.starling.sim.engine;

import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;

/**
 * Builds the protocol state machine for a node: at the start of a run, and again when a crash
 * that drops state is followed by recovery.
 */
@FunctionalInterface
public interface NodeFactory {
    /**
     * @param index the node's index in the simulation's node list
     * @param spec the node's spec
     * @param rng the node's own random stream (derived from the run's seed)
     */
    ProtocolNode create(int index, NodeSpec spec, Rng rng);
}
