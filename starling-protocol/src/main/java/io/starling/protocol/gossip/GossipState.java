package io.starling.protocol.gossip;

/** Lifecycle of a {@link GossipNode}. */
public enum GossipState {
    /** Not started. */
    NEW,
    /** Pushing its model every period and waiting for peers' models. */
    IDLE,
    /** Training on a merged model; models arriving meanwhile wait in the inbox. */
    TRAINING,
    /** Switched off by a hybrid client that is using the aggregator; peer sampling keeps running. */
    PAUSED
}
