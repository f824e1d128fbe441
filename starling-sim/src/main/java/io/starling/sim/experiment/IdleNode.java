package io.starling.sim.experiment;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.ProtocolNode;
import java.util.List;

/**
 * A node with nothing to do in a mode, e.g. the aggregator machines while the devices gossip.
 * It stays in the simulation so every mode runs on the same nodes and faults.
 */
public final class IdleNode implements ProtocolNode {
    private final NodeId id;

    public IdleNode(NodeId id) {
        this.id = id;
    }

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        return List.of();
    }
}
