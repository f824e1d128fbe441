package io.starling.protocol.hybrid;

/** Which way a {@link HybridClient} is learning. */
public enum HybridState {
    /** Not started. */
    NEW,
    /** Using the aggregator: train on its models, send it updates. */
    CONNECTED,
    /** The aggregator did not answer in time: gossip learning with other clients, probing the aggregator. */
    FALLBACK
}
