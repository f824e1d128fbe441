package io.starling.protocol.message;

import io.starling.protocol.NodeId;

/**
 * An entry of a peer-sampling view: a peer and how many shuffle periods ago the descriptor was
 * created by that peer (Cyclon's age); old descriptors are the likeliest to point at dead nodes.
 */
public record PeerDescriptor(NodeId node, int age) {
    public PeerDescriptor {
        if (node == null) {
            throw new MalformedMessageException("PeerDescriptor", "node", "is missing");
        }
        if (age < 0) {
            throw new MalformedMessageException("PeerDescriptor", "age", "must be >= 0, got " + age);
        }
    }

    public PeerDescriptor older() {
        return new PeerDescriptor(node, age == Integer.MAX_VALUE ? age : age + 1);
    }
}
