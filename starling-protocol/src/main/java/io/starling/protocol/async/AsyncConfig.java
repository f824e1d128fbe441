package io.starling.protocol.async;

import static io.starling.protocol.InvalidConfigException.require;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.FedBuff;
import io.starling.core.aggregate.StalenessBound;

/**
 * Settings of an {@link AsyncServer}.
 *
 * @param taskId the task served
 * @param paramCount the model's number of parameters
 * @param bufferSize K: updates buffered before the rule is applied; 1 for FedAsync (mix each
 *     update on arrival), K > 1 for FedBuff
 * @param maxStaleness updates whose base version lags the current version by more than this are
 *     rejected and the client gets the current model
 * @param flushAfterMs if &gt; 0, a partly filled buffer is aggregated this long after its first
 *     update arrived, so FedBuff keeps committing when fewer than K clients are active; 0 waits
 *     for K updates however long it takes
 */
public record AsyncConfig(String taskId, int paramCount, int bufferSize, long maxStaleness, long flushAfterMs) {
    /** Update ids remembered for idempotent resends. */
    public static final int REMEMBERED_UPDATE_IDS = 4096;

    public AsyncConfig {
        require(taskId != null && !taskId.isBlank(), "taskId", taskId, "a non-blank task id");
        require(paramCount > 0, "paramCount", paramCount, "> 0");
        require(bufferSize >= 1, "bufferSize", bufferSize, ">= 1 (1 = FedAsync, K > 1 = FedBuff)");
        require(maxStaleness >= 0, "maxStaleness", maxStaleness, ">= 0 versions");
        require(flushAfterMs >= 0, "flushAfterMs", flushAfterMs, ">= 0 milliseconds (0 = wait for a full buffer)");
    }

    /** The staleness bound as core's shared rule. */
    public StalenessBound stalenessBound() {
        return new StalenessBound(maxStaleness);
    }

    /** Without a flush timeout. */
    public AsyncConfig(String taskId, int paramCount, int bufferSize, long maxStaleness) {
        this(taskId, paramCount, bufferSize, maxStaleness, 0);
    }

    /** The same settings with a flush timeout for a partly filled buffer. */
    public AsyncConfig withFlushAfterMs(long ms) {
        return new AsyncConfig(taskId, paramCount, bufferSize, maxStaleness, ms);
    }

    /** The buffer size {@code rule} expects: a FedBuff rule's {@code k}, otherwise 1 (mix on arrival). */
    public static AsyncConfig forRule(String taskId, int paramCount, AggregationRule rule, long maxStaleness) {
        int k = rule instanceof FedBuff fedBuff ? fedBuff.bufferSize() : 1;
        return new AsyncConfig(taskId, paramCount, k, maxStaleness);
    }

    /** FedAsync: every accepted update is mixed in on arrival. */
    public static AsyncConfig fedAsync(String taskId, int paramCount, long maxStaleness) {
        return new AsyncConfig(taskId, paramCount, 1, maxStaleness);
    }

    /** FedBuff: the rule runs once {@code k} updates are buffered. */
    public static AsyncConfig fedBuff(String taskId, int paramCount, int k, long maxStaleness) {
        return new AsyncConfig(taskId, paramCount, k, maxStaleness);
    }
}
