package io.starling.sim.engine;

/**
 * What a simulated node is in the federation. The fault schedule's aggregator outage takes down
 * every {@link #AGGREGATOR}; reports count traffic and energy of {@link #DEVICE}s.
 */
public enum NodeRole {
    /** A server-side node that aggregates (there may be several replicas). */
    AGGREGATOR,
    /** An edge device with local data. */
    DEVICE
}
