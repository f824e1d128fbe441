package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.List;

/**
 * Answer to a {@link ShuffleRequest}: a sample of the receiver's view.
 * At most {@link PeerDescriptor#MAX_PER_MESSAGE} descriptors, no duplicates.
 */
public record ShuffleReply(NodeId sender, Signature signature, List<PeerDescriptor> descriptors)
        implements ProtocolMessage {
    public ShuffleReply {
        Fields.requireSender("ShuffleReply", sender, signature);
        descriptors = PeerDescriptor.checkedList("ShuffleReply", descriptors);
    }

    @Override
    public long wireBytes() {
        return Fields.wireBytes(sender, signature, PeerDescriptor.wireBytes(descriptors));
    }
}
