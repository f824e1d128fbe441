package io.starling.node.fallback;

import io.starling.protocol.hybrid.HybridState;

/**
 * One switch of a {@link FallbackClient} between the replicated aggregator and gossip.
 *
 * @param atMs wall-clock time of the switch, epoch milliseconds
 * @param from the mode left
 * @param to the mode entered
 * @param cause why, as the hybrid protocol reports it
 */
public record ModeSwitch(long atMs, HybridState from, HybridState to, String cause) {
}
