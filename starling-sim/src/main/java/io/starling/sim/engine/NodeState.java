package io.starling.sim.engine;

import io.starling.protocol.ProtocolNode;
import io.starling.protocol.Rng;
import java.util.HashMap;
import java.util.Map;

/**
 * Mutable per-node bookkeeping of one run. Kept small: 100,000 of these must fit comfortably,
 * so maps are created lazily and models are not held here.
 */
final class NodeState {
    static final int CRASHED = 1;
    static final int OFFLINE = 2;
    static final int BATTERY = 4;
    static final int OUTAGE = 8;

    final NodeSpec spec;
    final Rng rng;
    ProtocolNode protocol;
    /** Bit set of reasons the node is down; up iff zero. */
    int downReasons;
    /** Incremented whenever the node goes down, so events addressed to an older life are dropped. */
    int incarnation;
    /** The protocol state must be rebuilt before the next Start. */
    boolean dropStateOnRecovery;
    Map<String, Long> timers;
    long committedVersion = -1;
    long uplinkFreeAtMs;
    long downlinkFreeAtMs;
    long computeFreeAtMs;
    double activeEnergyJ;
    double idleEnergyJ;
    long upSinceMs;

    NodeState(NodeSpec spec, Rng rng) {
        this.spec = spec;
        this.rng = rng;
    }

    boolean isUp() {
        return downReasons == 0;
    }

    Map<String, Long> timers() {
        if (timers == null) {
            timers = new HashMap<>(4);
        }
        return timers;
    }

    /** Energy spent so far including idle draw up to {@code nowMs}. */
    double energyJ(long nowMs) {
        double idle = idleEnergyJ;
        if (isUp()) {
            idle += spec.profile().energy().idleWatts() * (nowMs - upSinceMs) / 1000.0;
        }
        return activeEnergyJ + idle;
    }

    boolean batteryEmpty(long nowMs) {
        return spec.profile().hasBattery() && energyJ(nowMs) >= spec.profile().batteryJ();
    }

}
