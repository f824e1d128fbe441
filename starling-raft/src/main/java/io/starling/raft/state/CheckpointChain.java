package io.starling.raft.state;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.ConfigChanged;
import io.starling.raft.log.LogEntry;
import io.starling.raft.log.TermKeyAnnounced;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replicated state of the aggregator, with the rules that make it a chain: versions are
 * gapless and monotonic, each checkpoint's parent is the latest one, and no client update is
 * absorbed twice. Pure and deterministic (no clock, no IO), so every replica that applies the
 * same entries in the same order holds the same state, and the rules are unit-testable without
 * Ratis.
 *
 * <p>Not thread-safe: {@link CheckpointStateMachine} serialises access.
 */
public final class CheckpointChain {
    private final List<CheckpointCommitted> checkpoints = new ArrayList<>();
    private final Map<String, Long> committedIn = new HashMap<>();
    private final TreeMap<Long, TermKeyAnnounced> termKeys = new TreeMap<>();
    private final TreeMap<String, String> settings = new TreeMap<>();

    /** Applies one entry and says what happened; never throws for a well-formed entry. */
    public ApplyOutcome apply(LogEntry entry) {
        return switch (entry) {
            case CheckpointCommitted c -> applyCheckpoint(c);
            case TermKeyAnnounced k -> applyTermKey(k);
            case ConfigChanged c -> applyConfig(c);
        };
    }

    private ApplyOutcome applyCheckpoint(CheckpointCommitted c) {
        if (c.version() < checkpoints.size()) {
            CheckpointCommitted existing = checkpoints.get((int) c.version());
            if (existing.digest().equals(c.digest()) && existing.includedUpdateIds().equals(c.includedUpdateIds())) {
                return new ApplyOutcome.AlreadyApplied(c.version());
            }
        }
        long latest = latestVersion();
        if (c.parentVersion() != latest) {
            return new ApplyOutcome.Rejected("checkpoint " + c.version() + " has parent " + c.parentVersion()
                    + " but the latest committed version is " + latest);
        }
        for (String id : c.includedUpdateIds()) {
            Long earlier = committedIn.get(id);
            if (earlier != null) {
                return new ApplyOutcome.Rejected("checkpoint " + c.version() + " includes update '" + id
                        + "' already absorbed by checkpoint " + earlier);
            }
        }
        checkpoints.add(c);
        for (String id : c.includedUpdateIds()) {
            committedIn.put(id, c.version());
        }
        return ApplyOutcome.applied();
    }

    private ApplyOutcome applyTermKey(TermKeyAnnounced k) {
        TermKeyAnnounced existing = termKeys.get(k.term());
        if (existing != null) {
            return existing.equals(k)
                    ? new ApplyOutcome.AlreadyApplied(k.term())
                    : new ApplyOutcome.Rejected("term " + k.term() + " already announced a different key");
        }
        if (!termKeys.isEmpty() && k.term() < termKeys.lastKey()) {
            return new ApplyOutcome.Rejected("term " + k.term() + " is older than the latest announced term "
                    + termKeys.lastKey());
        }
        termKeys.put(k.term(), k);
        return ApplyOutcome.applied();
    }

    private ApplyOutcome applyConfig(ConfigChanged c) {
        c.settings().forEach((k, v) -> {
            if (v.isEmpty()) {
                settings.remove(k);
            } else {
                settings.put(k, v);
            }
        });
        return ApplyOutcome.applied();
    }

    /** The latest committed version, or -1 before genesis. */
    public long latestVersion() {
        return checkpoints.size() - 1L;
    }

    public Optional<CheckpointCommitted> latest() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.getLast());
    }

    /** The checkpoint of {@code version}, if it is committed. */
    public Optional<CheckpointCommitted> checkpoint(long version) {
        return version >= 0 && version < checkpoints.size() ? Optional.of(checkpoints.get((int) version)) : Optional.empty();
    }

    /** The version of the checkpoint that absorbed {@code updateId}, if any. */
    public OptionalLong committedIn(String updateId) {
        Long v = committedIn.get(updateId);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** An immutable copy of the whole chain, genesis first. */
    public List<CheckpointCommitted> checkpoints() {
        return List.copyOf(checkpoints);
    }

    public Optional<TermKeyAnnounced> latestTermKey() {
        return termKeys.isEmpty() ? Optional.empty() : Optional.of(termKeys.lastEntry().getValue());
    }

    public SortedMap<String, String> settings() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    }

    /**
     * The entries that rebuild this state when applied in order to an empty chain: the
     * checkpoints, the latest term key and the settings. This is what a snapshot stores.
     */
    public List<LogEntry> toEntries() {
        List<LogEntry> out = new ArrayList<>(checkpoints);
        latestTermKey().ifPresent(out::add);
        if (!settings.isEmpty()) {
            out.add(new ConfigChanged(settings));
        }
        return out;
    }
}
