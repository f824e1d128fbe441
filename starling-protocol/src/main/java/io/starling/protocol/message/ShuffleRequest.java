package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A peer-sampling shuffle: the initiator offers some of its view (including a fresh descriptor
 * of itself) and expects a {@link ShuffleReply} with some of the receiver's view.
 * At most {@link #MAX_DESCRIPTORS} descriptors, no duplicates.
 */
public record ShuffleRequest(NodeId sender, Signature signature, List<PeerDescriptor> descriptors)
        implements ProtocolMessage {
    /** Upper bound on descriptors per shuffle message, far above any sane shuffle length. */
    public static final int MAX_DESCRIPTORS = 256;

    public ShuffleRequest {
        Fields.requireSender("ShuffleRequest", sender, signature);
        Fields.requirePresent("ShuffleRequest", "descriptors", descriptors);
        if (descriptors.size() > MAX_DESCRIPTORS) {
            throw new MalformedMessageException("ShuffleRequest", "descriptors",
                    "has " + descriptors.size() + " entries, more than " + MAX_DESCRIPTORS);
        }
        Set<NodeId> seen = new HashSet<>();
        for (PeerDescriptor d : descriptors) {
            if (d == null) {
                throw new MalformedMessageException("ShuffleRequest", "descriptors", "contains a missing entry");
            }
            if (!seen.add(d.node())) {
                throw new MalformedMessageException("ShuffleRequest", "descriptors", "lists " + d.node() + " twice");
            }
        }
        descriptors = List.copyOf(descriptors);
    }

    @Override
    public long wireBytes() {
        long payload = 4;
        for (PeerDescriptor d : descriptors) {
            payload += d.node().value().length() + 4;
        }
        return Fields.wireBytes(sender, signature, payload);
    }
}
