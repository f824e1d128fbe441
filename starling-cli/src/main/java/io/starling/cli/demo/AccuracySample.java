package io.starling.cli.demo;

/**
 * The latest committed model evaluated on the test split at one moment of the run.
 *
 * @param atS seconds since the demo started
 * @param version checkpoint version evaluated
 * @param proposer the leader that committed that version
 */
public record AccuracySample(double atS, long version, String proposer, double accuracy, double loss) {
}
