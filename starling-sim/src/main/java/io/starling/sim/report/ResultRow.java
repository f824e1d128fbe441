package io.starling.sim.report;

/**
 * One line of results.csv: the state of one mode's run at one reporting instant.
 *
 * @param version the highest model version committed anywhere so far
 * @param commits model commits so far, by all nodes (aggregator versions and gossip merges)
 * @param windowAccuracy accuracy on the rows that arrived in the recent window (streaming data),
 *     or NaN without streaming
 */
public record ResultRow(String mode, double virtualTimeS, long version, long commits, double testAccuracy, double testLoss,
                        double windowAccuracy, long bytesUp, long bytesDown, double energyJ, int activeDevices,
                        long events) {
}
