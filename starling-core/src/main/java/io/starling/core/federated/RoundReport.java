package io.starling.core.federated;

/**
 * The global model's quality after one aggregation step of a federated run.
 *
 * @param step 1-based aggregation step (a round in synchronous mode)
 * @param clientUpdates client updates aggregated so far, cumulative
 * @param testAccuracy accuracy of the global model on the test set
 * @param testLoss mean test loss of the global model
 * @param meanTrainLoss mean local training loss of the updates aggregated in this step
 * @param meanStaleness mean staleness (global versions missed) of those updates; 0 when synchronous
 */
public record RoundReport(int step, long clientUpdates, double testAccuracy, double testLoss, double meanTrainLoss,
                          double meanStaleness) {
}
