package io.starling.raft.aggregator;

import io.starling.core.StarlingException;
import java.util.List;

/**
 * No replica acknowledged an update before the client's deadline: the group has no leader, or
 * no majority. The update may still be absorbed later; resubmitting it under the same id is safe.
 */
public final class AckTimeoutException extends StarlingException {
    public AckTimeoutException(String updateId, long timeoutMs, List<String> lastFailures) {
        super("update '" + updateId + "' not acknowledged within " + timeoutMs + " ms; last failures: " + lastFailures
                + "; check that a majority of aggregator replicas is up, then resubmit");
    }
}
