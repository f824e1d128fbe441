package io.starling.raft.grpc;

import io.starling.net.aggregator.UpdateSubmission;
import io.starling.net.proto.Header;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.transport.RejectedRequestException;
import io.starling.raft.aggregator.ClientUpdate;

/**
 * The one mapping between {@link ClientUpdate} and the {@code Aggregator.SubmitUpdate} message,
 * both ways, so a field added to the update is added here and nowhere else.
 * <ul>
 *   <li>{@code updateId} = {@code update_id}; {@code clientId} = {@code header.sender_id};
 *   <li>{@code baseVersion} = {@code base_version}; {@code samples} = {@code num_samples};
 *       {@code trainLoss} = {@code train_loss};
 *   <li>{@code gossipAge} = {@code gossip_age} (present only for a hand-back);
 *   <li>{@code model} travels as a blob (Blob.Put) named by {@code model}, full f32 weights.
 * </ul>
 */
public final class ClientUpdateWire {
    private ClientUpdateWire() {
    }

    /** The request that offers {@code update}, whose model blob the receiver already holds. */
    public static SubmitUpdateRequest toRequest(ClientUpdate update, Header header, String taskId, String modelDigest,
                                                long modelBytes) {
        SubmitUpdateRequest.Builder b = SubmitUpdateRequest.newBuilder();
        update.gossipAge().ifPresent(b::setGossipAge);
        return b
                .setHeader(header.toBuilder().setSenderId(update.clientId()))
                .setTaskId(taskId)
                .setUpdateId(update.updateId())
                .setBaseVersion(update.baseVersion())
                .setModel(ModelRef.newBuilder().setDigest(modelDigest).setSizeBytes(modelBytes)
                        .setDimension(update.model().size()).setCodec("f32"))
                .setNumSamples(update.samples())
                .setTrainLoss(update.trainLoss())
                .build();
    }

    /** The update a checked submission carries; deltas are refused (the replicas aggregate weights). */
    public static ClientUpdate fromSubmission(UpdateSubmission s) {
        if (s.isDelta()) {
            throw RejectedRequestException.malformed("model.is_delta is set, but the replicated aggregator takes full "
                    + "weights: send the trained model itself");
        }
        return new ClientUpdate(s.updateId(), s.sender().value(), s.baseVersion(), s.model(), s.samples(),
                s.trainLoss(), s.gossipAge());
    }
}
