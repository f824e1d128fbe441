package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answer to a {@link ShuffleRequest}: a sample of the receiver's view.
 * At most {@link #MAX_DESCRIPTORS} descriptors, no duplicates.
 */
public record ShuffleReply(NodeId sender, Signature signature, List<PeerDescriptor> descriptors)
        implements ProtocolMessage {
    /** Upper bound on descriptors per shuffle message, far above any sane shuffle length. */
    public static final int MAX_DESCRIPTORS = 256;

    public ShuffleReply {
        Fields.requireSender("ShuffleReply", sender, signature);
        Fields.requirePresent("ShuffleReply", "descriptors", descriptors);
        if (descriptors.size() > MAX_DESCRIPTORS) {
            throw new MalformedMessageException("ShuffleReply", "descriptors",
                    "has " + descriptors.size() + " entries, more than " + MAX_DESCRIPTORS);
        }
        Set<NodeId> seen = new HashSet<>();
        for (PeerDescriptor d : descriptors) {
            if (d == null) {
                throw new MalformedMessageException("ShuffleReply", "descriptors", "contains a missing entry");
            }
            if (!seen.add(d.node())) {
                throw new MalformedMessageException("ShuffleReply", "descriptors", "lists " + d.node() + " twice");
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
