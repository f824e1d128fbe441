package io.starling.sim.engine;

import io.starling.protocol.NodeId;

/** Read-only state of a running simulation, for invariants and observers. */
public interface SimulationView {
    long seed();

    long nowMs();

    int nodeCount();

    NodeSpec spec(int index);

    /** Whether node {@code index} is up (not crashed, offline, out of battery or in an outage). */
    boolean isUp(int index);

    /** The highest version node {@code index} has committed since its state was last dropped, or -1. */
    long committedVersion(int index);

    /** Index of the node with this id, or -1. */
    int indexOf(NodeId id);

    /** Bytes sent by devices so far (their uplink traffic). */
    long bytesUp();

    /** Bytes received by devices so far (their downlink traffic). */
    long bytesDown();

    /** Energy devices have spent so far, training, sending, receiving and idling, in joules. */
    double energyJ();

    /** Devices that are up now. */
    int activeDevices();

    /** Events processed so far. */
    long eventsProcessed();
}
