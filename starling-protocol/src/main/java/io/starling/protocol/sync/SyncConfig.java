package io.starling.protocol.sync;

import static io.starling.protocol.InvalidConfigException.require;

/**
 * Settings of a synchronous FedAvg server ({@link SyncServer}).
 *
 * @param taskId the task served
 * @param paramCount the model's number of parameters; updates of another size are rejected
 * @param clientFraction C in (0, 1]: the fraction of known clients asked per round
 * @param minClients a round starts only when at least this many clients are known, and asks at
 *     least this many
 * @param minUpdates a round commits only if at least this many updates arrived by the deadline
 * @param roundDeadlineMs how long after sending the model a round waits; later updates are
 *     stragglers and are dropped
 */
public record SyncConfig(String taskId, int paramCount, double clientFraction, int minClients, int minUpdates,
                         long roundDeadlineMs) {
    public SyncConfig {
        require(taskId != null && !taskId.isBlank(), "taskId", taskId, "a non-blank task id");
        require(paramCount > 0, "paramCount", paramCount, "> 0");
        require(clientFraction > 0 && clientFraction <= 1, "clientFraction", clientFraction, "a fraction in (0, 1]");
        require(minClients >= 1, "minClients", minClients, ">= 1");
        require(minUpdates >= 1 && minUpdates <= minClients, "minUpdates", minUpdates,
                "between 1 and minClients (" + minClients + ")");
        require(roundDeadlineMs > 0, "roundDeadlineMs", roundDeadlineMs, "> 0 milliseconds");
    }
}
