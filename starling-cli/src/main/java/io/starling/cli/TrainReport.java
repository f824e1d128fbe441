package io.starling.cli;

import java.util.List;

/**
 * What {@code starling train --json} prints: one object, field names in snake_case.
 *
 * @param model spec of the trained model, e.g. {@code mlp(784,128,10)}
 * @param params number of parameters
 * @param data where the examples came from and their shape
 * @param config the hyper-parameters used
 * @param testAccuracy accuracy on the test split after the last epoch, in [0, 1]
 * @param testLoss mean cross-entropy on the test split after the last epoch
 * @param trainLoss mean training loss over the last epoch
 * @param samplesPerSecond training examples processed per second of training time (evaluation excluded)
 * @param trainSeconds training time, all epochs, evaluation excluded
 * @param kernels {@code vector} or {@code scalar}: which inner loops ran (see docs/models.md)
 * @param history one entry per epoch
 */
record TrainReport(String model, int params, DataInfo data, ConfigInfo config, double testAccuracy, double testLoss,
                   double trainLoss, double samplesPerSecond, double trainSeconds, String kernels, List<Epoch> history) {

    record DataInfo(String source, String format, int trainSamples, int testSamples, int features, int classes) {
    }

    record ConfigInfo(int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                      double weightDecay, long seed) {
    }

    /** Metrics after one epoch. */
    record Epoch(int epoch, double trainLoss, double testAccuracy, double testLoss, double samplesPerSecond,
                 double seconds) {
    }
}
