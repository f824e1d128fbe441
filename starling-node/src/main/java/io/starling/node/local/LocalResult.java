package io.starling.node.local;

import io.starling.node.NodeStatus;
import java.util.List;

/**
 * The outcome of a {@code starling local} run, printed as JSON with {@code --json}.
 *
 * @param mode sync, async or gossip
 * @param finalAccuracy mean over clients (or peers) of the test accuracy of the model each holds at the end
 * @param minAccuracy the lowest of those
 * @param versions versions the aggregator committed (gossip: the smallest local version of a peer)
 * @param bytesUp bytes all clients (or peers) sent
 * @param bytesDown bytes all clients (or peers) received
 * @param wallS wall-clock seconds from launch to the end
 * @param reachedTarget whether the target was reached before the timeout
 * @param nodes each node's final status
 * @param leader with a replicated aggregator: the replica leading at the end (empty otherwise)
 * @param leaderChanges with a replicated aggregator: how often the leader changed after the first election
 */
public record LocalResult(String mode, double finalAccuracy, double minAccuracy, long versions, long bytesUp,
                          long bytesDown, double wallS, boolean reachedTarget, List<NodeStatus> nodes,
                          String leader, int leaderChanges) {
}
