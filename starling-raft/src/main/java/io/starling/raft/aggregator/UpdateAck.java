package io.starling.raft.aggregator;

/**
 * Proof that a client update is safe: the committed checkpoint {@code version} absorbed it, so it
 * survives the loss of any minority of replicas.
 */
public record UpdateAck(String updateId, long version) {
}
