package io.starling.protocol.client;

/** Lifecycle of an {@link AggregatorClient}. */
public enum ClientState {
    /** Not started: no {@code Start} event yet. */
    NEW,
    /** Joined; waiting for a model to train on. */
    WAITING_FOR_MODEL,
    /** Training on a received model; the result becomes a {@code ClientUpdate}. */
    TRAINING,
    /** Not using the aggregator (a hybrid client in gossip fallback); ignores models and results. */
    SUSPENDED
}
