package io.starling.raft.history;

import io.starling.raft.history.HistoryEvent.Checkpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a history against the replicated aggregator's promises:
 * <ol>
 *   <li><b>gapless, monotonic per replica</b>: each replica's commits go {@code v, v+1, ...}
 *       with parent = previous version, starting after its last restore;
 *   <li><b>agreement</b>: all replicas that hold a version hold the same digest and update ids,
 *       and every {@code FINAL} chain is identical;
 *   <li><b>no gap overall</b>: the versions seen form {@code 0..max};
 *   <li><b>exactly once</b>: no update id is absorbed by two versions;
 *   <li><b>acks are true</b>: every acknowledged update is in the version its ack names.
 * </ol>
 * Each violation names the offending events, so a failing test prints what went wrong.
 */
public final class HistoryChecker {
    /** One broken promise and the events that show it. */
    public record Violation(String rule, String message, List<HistoryEvent> events) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(rule).append(": ").append(message);
            for (HistoryEvent e : events) {
                sb.append("\n    ").append(e);
            }
            return sb.toString();
        }
    }

    /** The outcome of a check: the agreed chain and the violations, if any. */
    public record Result(Map<Long, Checkpoint> chain, List<Violation> violations, long acks, long commits) {
        public boolean ok() {
            return violations.isEmpty();
        }

        /** Throws {@link HistoryViolationException} listing every violation with its events. */
        public Result requireValid() {
            if (!ok()) {
                throw new HistoryViolationException(violations);
            }
            return this;
        }
    }

    private HistoryChecker() {
    }

    public static Result check(List<HistoryEvent> history) {
        List<Violation> violations = new ArrayList<>();
        Map<Long, Checkpoint> chain = new TreeMap<>();
        Map<Long, HistoryEvent> firstSeen = new HashMap<>();
        Map<String, Long> lastVersion = new HashMap<>();
        Map<String, HistoryEvent> lastEvent = new HashMap<>();
        Map<String, List<Checkpoint>> finals = new LinkedHashMap<>();
        Map<String, HistoryEvent> finalEvents = new LinkedHashMap<>();
        long acks = 0;
        long commits = 0;

        for (HistoryEvent e : history) {
            switch (e.type()) {
                case COMMIT -> {
                    commits++;
                    Checkpoint c = e.checkpoints().getFirst();
                    long expected = lastVersion.getOrDefault(e.process(), -1L) + 1;
                    if (c.version() != expected || c.parentVersion() != c.version() - 1) {
                        List<HistoryEvent> evidence = new ArrayList<>();
                        if (lastEvent.containsKey(e.process())) {
                            evidence.add(lastEvent.get(e.process()));
                        }
                        evidence.add(e);
                        violations.add(new Violation("gapless-monotonic", "replica " + e.process()
                                + " committed version " + c.version() + " (parent " + c.parentVersion()
                                + ") but its next version should be " + expected, evidence));
                    }
                    lastVersion.put(e.process(), c.version());
                    lastEvent.put(e.process(), e);
                    agree(c, e, chain, firstSeen, violations);
                }
                case RESTORE -> {
                    List<Checkpoint> restored = e.checkpoints();
                    for (int i = 0; i < restored.size(); i++) {
                        Checkpoint c = restored.get(i);
                        if (c.version() != i || c.parentVersion() != i - 1) {
                            violations.add(new Violation("gapless-monotonic", "replica " + e.process()
                                    + " restored a chain whose entry " + i + " is version " + c.version(), List.of(e)));
                            break;
                        }
                        agree(c, e, chain, firstSeen, violations);
                    }
                    lastVersion.put(e.process(), restored.size() - 1L);
                    lastEvent.put(e.process(), e);
                }
                case FINAL -> {
                    finals.put(e.process(), e.checkpoints());
                    finalEvents.put(e.process(), e);
                    for (Checkpoint c : e.checkpoints()) {
                        agree(c, e, chain, firstSeen, violations);
                    }
                }
                case ACK -> acks++;
                case SUBMIT, RESEND -> {
                }
            }
        }

        long expected = 0;
        for (long v : chain.keySet()) {
            if (v != expected) {
                violations.add(new Violation("no-gap", "no replica recorded version " + expected
                        + " but version " + v + " exists", List.of(firstSeen.get(v))));
                break;
            }
            expected++;
        }

        if (finals.size() > 1) {
            var it = finals.entrySet().iterator();
            var first = it.next();
            while (it.hasNext()) {
                var other = it.next();
                if (!other.getValue().equals(first.getValue())) {
                    violations.add(new Violation("identical-final-chains", "replica " + other.getKey()
                            + " ends with a different chain than replica " + first.getKey(),
                            List.of(finalEvents.get(first.getKey()), finalEvents.get(other.getKey()))));
                }
            }
        }

        Map<String, Long> absorbedBy = new HashMap<>();
        for (Checkpoint c : chain.values()) {
            for (String id : c.updateIds()) {
                Long earlier = absorbedBy.putIfAbsent(id, c.version());
                if (earlier != null) {
                    violations.add(new Violation("exactly-once", "update " + id + " is absorbed by versions "
                            + earlier + " and " + c.version(), List.of(firstSeen.get(earlier), firstSeen.get(c.version()))));
                }
            }
        }

        for (HistoryEvent e : history) {
            if (e.type() != HistoryEvent.Type.ACK) {
                continue;
            }
            Checkpoint c = chain.get(e.version());
            if (c == null || !c.updateIds().contains(e.updateId())) {
                List<HistoryEvent> evidence = new ArrayList<>();
                evidence.add(e);
                if (firstSeen.containsKey(e.version())) {
                    evidence.add(firstSeen.get(e.version()));
                }
                Long actual = absorbedBy.get(e.updateId());
                violations.add(new Violation("acked-is-committed", "update " + e.updateId() + " was acknowledged as in version "
                        + e.version() + " but " + (actual == null ? "no committed version includes it"
                                : "it is in version " + actual), evidence));
            }
        }
        return new Result(chain, violations, acks, commits);
    }

    private static void agree(Checkpoint c, HistoryEvent e, Map<Long, Checkpoint> chain,
                              Map<Long, HistoryEvent> firstSeen, List<Violation> violations) {
        Checkpoint known = chain.putIfAbsent(c.version(), c);
        if (known == null) {
            firstSeen.put(c.version(), e);
        } else if (!known.equals(c)) {
            violations.add(new Violation("agreement", "version " + c.version() + " differs between replicas ("
                    + known.digest().substring(0, 12) + " vs " + c.digest().substring(0, 12) + ")",
                    List.of(firstSeen.get(c.version()), e)));
        }
    }
}
