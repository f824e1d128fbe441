package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.List;

/**
 * A peer-sampling shuffle: the initiator offers some of its view (including a fresh descriptor
 * of itself) and expects a {@link ShuffleReply} with some of the receiver's view.
 * At most {@link PeerDescriptor#MAX_PER_MESSAGE} descriptors, no duplicates.
 */
public record ShuffleRequest(NodeId sender, Signature signature, List<PeerDescriptor> descriptors)
        implements ProtocolMessage {
    public ShuffleRequest {
        Fields.requireSender("ShuffleRequest", sender, signature);
        descriptors = PeerDescriptor.checkedList("ShuffleRequest", descriptors);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, PeerDescriptor.wireBytes(descriptors));
    }
}
