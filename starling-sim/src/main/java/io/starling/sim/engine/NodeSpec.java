package io.starling.sim.engine;

import io.starling.protocol.NodeId;
import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import java.util.Objects;

/**
 * One node the simulation runs: identity, role, device capabilities and when it is online.
 * Immutable, so several runs (one per learning mode) share the same specs.
 */
public record NodeSpec(NodeId id, NodeRole role, DeviceProfile profile, Availability availability) {
    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(availability, "availability");
    }
}
