package io.starling.sim.report;

/**
 * One line of results.csv: the state of one mode's run at one reporting instant.
 *
 * @param windowAccuracy accuracy on the rows that arrived in the recent window (streaming data),
 *     or NaN without streaming
 */
public record ResultRow(String mode, double virtualTimeS, long version, double testAccuracy, double testLoss,
                        double windowAccuracy, long bytesUp, long bytesDown, double energyJ, int activeDevices,
                        long events) {
}
