package io.starling.net.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run-time switchboard of the fault-injecting transport: a list of {@link FaultRule}s that the
 * client and server interceptors consult for every call. Rules can be replaced at any moment from
 * any thread (or from another process through {@link FaultControlService}); calls already running
 * are not affected.
 *
 * <p>The first rule that matches a (caller, callee) pair decides, so put specific rules before
 * wildcards. Random choices come from a seeded generator, so a single-threaded test replays.
 *
 * <pre>{@code
 * FaultInjector faults = new FaultInjector(42);
 * faults.partition(Set.of("a1"), Set.of("a2", "a3"));   // a1 cut off both ways
 * faults.add(FaultRule.delay("c1", "a2", 200));          // c1 -> a2 calls start 200 ms late
 * faults.clear();                                        // heal
 * }</pre>
 */
public final class FaultInjector {
    /** What to do to one call. */
    public record Decision(boolean drop, long delayMs, boolean duplicate) {
        static final Decision PASS = new Decision(false, 0, false);

        public boolean isPass() {
            return !drop && delayMs == 0 && !duplicate;
        }
    }

    private final SplittableRandom random;
    private volatile List<FaultRule> rules = List.of();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();

    public FaultInjector(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Replaces all rules. */
    public void setRules(List<FaultRule> newRules) {
        rules = List.copyOf(newRules);
    }

    /** Appends one rule (it applies only where no earlier rule matches). */
    public synchronized void add(FaultRule rule) {
        List<FaultRule> next = new ArrayList<>(rules);
        next.add(rule);
        rules = List.copyOf(next);
    }

    /** Puts one rule first, ahead of all others. */
    public synchronized void addFirst(FaultRule rule) {
        List<FaultRule> next = new ArrayList<>();
        next.add(rule);
        next.addAll(rules);
        rules = List.copyOf(next);
    }

    /** Drops every call between a node of {@code side} and a node of {@code otherSide}, both ways. */
    public synchronized void partition(Set<String> side, Set<String> otherSide) {
        List<FaultRule> next = new ArrayList<>(rules);
        for (String a : side) {
            for (String b : otherSide) {
                next.add(FaultRule.drop(a, b));
                next.add(FaultRule.drop(b, a));
            }
        }
        rules = List.copyOf(next);
    }

    /** Drops every call to and from {@code node}. */
    public synchronized void isolate(String node) {
        List<FaultRule> next = new ArrayList<>(rules);
        next.add(FaultRule.drop(node, FaultRule.ANY));
        next.add(FaultRule.drop(FaultRule.ANY, node));
        rules = List.copyOf(next);
    }

    /** Removes every rule: the network is healthy again. */
    public void clear() {
        rules = List.of();
    }

    public List<FaultRule> rules() {
        return rules;
    }

    /** Decides the fate of one call from {@code caller} to {@code callee} and counts it. */
    public Decision decide(String caller, String callee) {
        for (FaultRule rule : rules) {
            if (rule.matches(caller, callee)) {
                Decision d = roll(rule);
                if (d.drop()) {
                    dropped.incrementAndGet();
                } else {
                    if (d.delayMs() > 0) {
                        delayed.incrementAndGet();
                    }
                    if (d.duplicate()) {
                        duplicated.incrementAndGet();
                    }
                }
                return d;
            }
        }
        return Decision.PASS;
    }

    private Decision roll(FaultRule rule) {
        double dropRoll;
        double dupRoll;
        synchronized (random) {
            dropRoll = random.nextDouble();
            dupRoll = random.nextDouble();
        }
        boolean drop = dropRoll < rule.dropProbability();
        return new Decision(drop, drop ? 0 : rule.delayMs(), !drop && dupRoll < rule.duplicateProbability());
    }

    /** Calls failed by a drop rule so far. */
    public long droppedCalls() {
        return dropped.get();
    }

    /** Calls started late by a delay rule so far. */
    public long delayedCalls() {
        return delayed.get();
    }

    /** Calls sent twice by a duplicate rule so far. */
    public long duplicatedCalls() {
        return duplicated.get();
    }
}
