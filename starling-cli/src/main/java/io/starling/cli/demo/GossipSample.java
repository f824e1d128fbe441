package io.starling.cli.demo;

/**
 * One client's gossip model evaluated on the test split while it learned by gossip.
 *
 * @param atS seconds since the demo started
 * @param clientId the client
 * @param accuracy test accuracy of its gossip model at that moment
 */
public record GossipSample(double atS, String clientId, double accuracy) {
}
