package io.starling.raft.fault;

import io.starling.core.StarlingException;

/**
 * A message from one node to another was dropped on purpose by a fault rule. Only fault tests
 * see it: the sender treats it like a broken connection and retries later; clear the rule
 * ({@code FaultInjector.clear()}) to let traffic through again.
 *
 * <p>It carries no stack trace: Ratis logs every failed request, and a dropped heartbeat every
 * 100 ms with a full trace would bury the log of a partition test.
 */
public final class LinkCutException extends StarlingException {
    private final String from;
    private final String to;

    public LinkCutException(String from, String to, String what) {
        super(what + " from " + from + " to " + to + " dropped by fault injection (the link is cut; heal it to restore traffic)");
        this.from = from;
        this.to = to;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
