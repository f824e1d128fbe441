package io.starling.raft.history;

import io.starling.core.StarlingException;
import java.util.List;

/** A history broke the replicated aggregator's promises; the message lists every offending event. */
public final class HistoryViolationException extends StarlingException {
    private final List<HistoryChecker.Violation> violations;

    public HistoryViolationException(List<HistoryChecker.Violation> violations) {
        super(violations.size() + " history violation(s):\n" + String.join("\n",
                violations.stream().map(HistoryChecker.Violation::toString).toList()));
        this.violations = List.copyOf(violations);
    }

    public List<HistoryChecker.Violation> violations() {
        return violations;
    }
}
