package io.starling.net.fault;

import java.util.Objects;

/**
 * What to do to calls from one node to another. {@value #ANY} in {@code from} or {@code to}
 * matches every node.
 *
 * @param from caller node id, or {@value #ANY}
 * @param to callee node id, or {@value #ANY}
 * @param dropProbability chance in [0, 1] that a call fails at once with UNAVAILABLE
 * @param delayMs latency added before the call starts, ms, in [0, 600000]
 * @param duplicateProbability chance in [0, 1] that a unary call is sent a second time
 */
public record FaultRule(String from, String to, double dropProbability, long delayMs, double duplicateProbability) {
    /** Wildcard that matches any node id. */
    public static final String ANY = "*";
    /** Largest delay a rule may add, ms. */
    public static final long MAX_DELAY_MS = 600_000;

    public FaultRule {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isEmpty() || to.isEmpty()) {
            throw new IllegalArgumentException("fault rule from/to must be a node id or '*'");
        }
        requireProbability("dropProbability", dropProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be in 0.." + MAX_DELAY_MS + ", got " + delayMs);
        }
    }

    /** Every call from {@code from} to {@code to} fails. */
    public static FaultRule drop(String from, String to) {
        return new FaultRule(from, to, 1.0, 0, 0);
    }

    /** A fraction of calls from {@code from} to {@code to} fails. */
    public static FaultRule dropSome(String from, String to, double probability) {
        return new FaultRule(from, to, probability, 0, 0);
    }

    /** Every call from {@code from} to {@code to} starts {@code delayMs} late. */
    public static FaultRule delay(String from, String to, long delayMs) {
        return new FaultRule(from, to, 0, delayMs, 0);
    }

    /** Every unary call from {@code from} to {@code to} is delivered twice. */
    public static FaultRule duplicate(String from, String to) {
        return new FaultRule(from, to, 0, 0, 1.0);
    }

    /** True when this rule applies to a call from {@code caller} to {@code callee}. */
    public boolean matches(String caller, String callee) {
        return (from.equals(ANY) || from.equals(caller)) && (to.equals(ANY) || to.equals(callee));
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
        }
    }
}
