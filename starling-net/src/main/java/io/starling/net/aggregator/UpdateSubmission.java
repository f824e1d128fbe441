package io.starling.net.aggregator;

import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.protocol.NodeId;
import java.util.OptionalDouble;

/**
 * A client's update after every boundary check passed: well-formed ids, a known task, a base
 * version within the staleness limit, a complete verified blob with the task's dimension and only
 * finite values.
 *
 * @param sender the submitting node
 * @param taskId the task
 * @param updateId the client's idempotency key
 * @param baseVersion global version the client trained from
 * @param round sync round answered, 0 in async mode
 * @param model decoded weights, or a delta to add to the model of {@code baseVersion} when {@code isDelta}
 * @param isDelta whether {@code model} is a delta
 * @param samples training examples behind the update
 * @param trainLoss mean local training loss
 * @param digest the blob the model came from
 * @param wireBytes bytes the update cost on the wire (blob plus message)
 * @param gossipAge for a gossip-trained model handed back, the updates it has absorbed; empty for a
 *     locally trained update
 */
public record UpdateSubmission(NodeId sender, String taskId, String updateId, long baseVersion, long round,
                               ParamVector model, boolean isDelta, double samples, double trainLoss,
                               BlobDigest digest, long wireBytes, OptionalDouble gossipAge) {
    /** A locally trained update (no gossip age). */
    public UpdateSubmission(NodeId sender, String taskId, String updateId, long baseVersion, long round,
                            ParamVector model, boolean isDelta, double samples, double trainLoss, BlobDigest digest,
                            long wireBytes) {
        this(sender, taskId, updateId, baseVersion, round, model, isDelta, samples, trainLoss, digest, wireBytes,
                OptionalDouble.empty());
    }
}
