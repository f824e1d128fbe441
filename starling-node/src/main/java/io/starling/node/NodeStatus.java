package io.starling.node;

import java.util.List;

/**
 * What a node reports at {@code /api/status} and {@code starling status}.
 *
 * @param id node id
 * @param role aggregator, client, peer or replica
 * @param mode sync, async or gossip
 * @param task task id
 * @param address gRPC address
 * @param version the latest model version this node holds (committed, received or merged)
 * @param accuracy test accuracy of that model, or -1 before the first evaluation
 * @param evaluatedVersion the version {@code accuracy} belongs to
 * @param peers nodes whose address this node knows
 * @param clients aggregator: clients with an open inbox stream
 * @param acceptedUpdates aggregator: updates the protocol accepted
 * @param meanStaleness aggregator: mean staleness of accepted updates, versions
 * @param maxStaleness aggregator: largest staleness of an accepted update
 * @param acknowledgedUpdates client: own updates acknowledged as committed
 * @param trainedSamples samples this node trained on
 * @param bytesUp bytes sent (model blobs plus messages)
 * @param bytesDown bytes received
 * @param uptimeMs since the node started
 * @param leader replica: the replica it believes leads the group, empty when none (other roles: empty)
 * @param members replica: the group's members; client of a replicated group: its replicas (else empty)
 */
public record NodeStatus(String id, String role, String mode, String task, String address, long version,
                         double accuracy, long evaluatedVersion, List<String> peers, List<String> clients,
                         long acceptedUpdates, double meanStaleness, long maxStaleness, long acknowledgedUpdates,
                         long trainedSamples, long bytesUp, long bytesDown, long uptimeMs,
                         String leader, List<String> members) {
}
