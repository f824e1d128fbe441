package io.starling.sim.testing;

import io.starling.protocol.NodeId;
import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import io.starling.sim.device.EnergyModel;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.engine.NodeSpec;

/** Device specs with round numbers, so tests can state expected times exactly. */
public final class Devices {
    private Devices() {
    }

    /** 100 samples/s, 1000 B/s both ways, 10 ms latency, 1 J/sample, 2 J/MB sent, 1 J/MB received, no idle draw. */
    public static DeviceProfile simple() {
        return new DeviceProfile(100, 1000, 1000, 10, new EnergyModel(1, 2, 1, 0), 0);
    }

    public static NodeSpec device(String id) {
        return new NodeSpec(NodeId.of(id), NodeRole.DEVICE, simple(), Availability.ALWAYS);
    }

    public static NodeSpec device(String id, Availability availability) {
        return new NodeSpec(NodeId.of(id), NodeRole.DEVICE, simple(), availability);
    }

    public static NodeSpec aggregator(String id) {
        return new NodeSpec(NodeId.of(id), NodeRole.AGGREGATOR,
                new DeviceProfile(1e6, 1e9, 1e9, 0, EnergyModel.FREE, 0), Availability.ALWAYS);
    }
}
