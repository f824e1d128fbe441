package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** Upper bound on descriptors per shuffle message, far above any sane shuffle length. */
    public static final int MAX_PER_MESSAGE = 256;

    /**
     * Checks the descriptor list of a shuffle message of type {@code type}: present, at most
     * {@link #MAX_PER_MESSAGE} entries, none missing, no peer twice. Returns an immutable copy.
     */
    static List<PeerDescriptor> checkedList(String type, List<PeerDescriptor> descriptors) {
        Fields.requirePresent(type, "descriptors", descriptors);
        if (descriptors.size() > MAX_PER_MESSAGE) {
            throw new MalformedMessageException(type, "descriptors",
                    "has " + descriptors.size() + " entries, more than " + MAX_PER_MESSAGE);
        }
        Set<NodeId> seen = new HashSet<>();
        for (PeerDescriptor d : descriptors) {
            if (d == null) {
                throw new MalformedMessageException(type, "descriptors", "contains a missing entry");
            }
            if (!seen.add(d.node())) {
                throw new MalformedMessageException(type, "descriptors", "lists " + d.node() + " twice");
            }
        }
        return List.copyOf(descriptors);
    }

    /** Encoded size of a descriptor list: a count, then each id and age. */
    static long wireBytes(List<PeerDescriptor> descriptors) {
        long payload = 4;
        for (PeerDescriptor d : descriptors) {
            payload += d.node().value().length() + 4;
        }
        return payload;
    }

    public PeerDescriptor older() {
        return new PeerDescriptor(node, age == Integer.MAX_VALUE ? age : age + 1);
    }
}
