package io.starling.raft.aggregator;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Leader-side watch for a follower that answers but never catches up, and for the voter to hand
 * leadership to so that it does.
 *
 * <p>Why. A replica that comes back with an empty log under its old id (data directory wiped) can
 * be left behind for good by the Ratis 3.3 leader: the leader keeps the follower's match index
 * from before the wipe and sends it only heartbeats, which it answers with an inconsistency
 * (upstream RATIS-2523; {@code WipedReplicaProcessTest} reproduces it). A new leader starts its
 * view of every follower afresh, so handing leadership to another up-to-date voter un-sticks it.
 *
 * <p>Rule. A follower is stuck when it has answered within {@code responsiveMs} (so it is alive),
 * its commit index is behind the leader's, and that commit index has not moved for
 * {@code stuckMs}. A dead follower stops answering and is never reported; a slow one moves and
 * restarts its clock. Pure and single-threaded: time comes in as {@code nowMs}.
 */
final class StuckFollowerDetector {
    /** What the leader knows about one voting follower at one moment. */
    record Follower(String id, long commitIndex, long lastResponseElapsedMs) {
    }

    private record Progress(long commitIndex, long sinceMs) {
    }

    private final long stuckMs;
    private final long responsiveMs;
    private final Map<String, Progress> progress = new HashMap<>();
    private boolean reported;

    StuckFollowerDetector(long stuckMs, long responsiveMs) {
        if (stuckMs <= 0 || responsiveMs <= 0) {
            throw new IllegalArgumentException("stuckMs and responsiveMs must be > 0, got " + stuckMs + ", " + responsiveMs);
        }
        this.stuckMs = stuckMs;
        this.responsiveMs = responsiveMs;
    }

    /**
     * Records one observation of the voting followers. When one of them is stuck, returns the
     * voter to hand leadership to: the responsive, not stuck follower with the highest commit
     * index (ties by id); empty when none is stuck or no other voter can take over. Reports at
     * most once: one hand-over per leadership is enough, and a false alarm moves leadership at
     * most once per term.
     */
    Optional<String> observe(long nowMs, long leaderCommitIndex, List<Follower> followers) {
        Set<String> stuck = new HashSet<>();
        for (Follower f : followers) {
            Progress p = progress.get(f.id());
            if (p == null || p.commitIndex() != f.commitIndex()) {
                progress.put(f.id(), new Progress(f.commitIndex(), nowMs));
                continue;
            }
            if (isResponsive(f) && f.commitIndex() < leaderCommitIndex && nowMs - p.sinceMs() >= stuckMs) {
                stuck.add(f.id());
            }
        }
        if (reported || stuck.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> target = followers.stream()
                .filter(f -> !stuck.contains(f.id()) && isResponsive(f))
                .max(Comparator.comparingLong(Follower::commitIndex).thenComparing(Follower::id, Comparator.reverseOrder()))
                .map(Follower::id);
        reported = target.isPresent();
        return target;
    }

    private boolean isResponsive(Follower f) {
        return f.lastResponseElapsedMs() <= responsiveMs;
    }
}
