package io.starling.core.federated;

import io.starling.core.aggregate.Contribution;
import io.starling.core.model.TrainConfig;

/**
 * Asynchronous training: {@code concurrency} clients train at once, each from the global model
 * current when it started; they finish in a pseudo-random order drawn from {@code seed}, so a
 * finished update is as stale as the number of aggregations since its start. Every
 * {@code bufferSize} finished updates are aggregated (1 for FedAsync, K for FedBuff).
 *
 * @param totalUpdates client updates to process, >= 1
 * @param concurrency clients training at the same time, in [1, clients]
 * @param bufferSize updates per aggregation, >= 1
 * @param evalEveryUpdates evaluate the global model after every this many updates (and at the end)
 * @param form whether clients send full weights or deltas against their own base model
 * @param local local training per update; seed derived per update from {@code seed}
 * @param seed seed of client choice, finishing order and local training
 */
public record AsyncConfig(int totalUpdates, int concurrency, int bufferSize, int evalEveryUpdates,
                          Contribution.Form form, TrainConfig local, long seed) {
    public AsyncConfig {
        if (totalUpdates < 1) {
            throw new IllegalArgumentException("totalUpdates must be >= 1, got " + totalUpdates);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
        }
        if (evalEveryUpdates < 1) {
            throw new IllegalArgumentException("evalEveryUpdates must be >= 1, got " + evalEveryUpdates);
        }
        if (form == null || local == null) {
            throw new IllegalArgumentException("form and local training config must not be null");
        }
    }
}
