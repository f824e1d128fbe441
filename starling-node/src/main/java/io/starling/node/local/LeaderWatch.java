package io.starling.node.local;

import io.starling.node.NodeStatus;
import java.util.List;
import java.util.Optional;

/**
 * Follows who leads a replicated group from the replicas' statuses: the leader is the replica
 * that reports itself as leader. Counts changes from one known leader to another (the first
 * election is not a change).
 */
final class LeaderWatch {
    private String current = "";
    private int changes;

    /** Takes one round of statuses; returns a line to print when the leader is new. */
    Optional<String> observe(List<NodeStatus> statuses) {
        List<String> leaders = statuses.stream().filter(s -> s.role().equals("replica"))
                .filter(s -> s.id().equals(s.leader())).map(NodeStatus::id).distinct().toList();
        if (leaders.size() != 1 || leaders.get(0).equals(current)) {
            return Optional.empty();
        }
        String previous = current;
        current = leaders.get(0);
        if (previous.isEmpty()) {
            return Optional.of("leader: " + current);
        }
        changes++;
        return Optional.of("leader changed: " + previous + " -> " + current);
    }

    /** The leader last seen, empty before any. */
    String current() {
        return current;
    }

    int changes() {
        return changes;
    }
}
