package io.starling.sim.modes;

import io.starling.sim.experiment.ModeRegistry;
import java.util.List;

/** The learning modes of starling-protocol, by the names configs use: sync, async, gossip, hybrid. */
public final class BuiltInModes {
    private BuiltInModes() {
    }

    public static ModeRegistry registry() {
        return new ModeRegistry(List.of(new SyncMode(), new AsyncMode(), new GossipMode(), new HybridMode()));
    }
}
