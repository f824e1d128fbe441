package io.starling.sim.engine;

import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Message;

/** What a scheduled simulation event does when its time comes. */
sealed interface SimTask {
    /** A message reaches node {@code to}. */
    record Deliver(int from, int senderIncarnation, int to, Message message) implements SimTask {
    }

    /** Node {@code node} learns that its message to {@code to} failed. */
    record NotifyFailure(int node, int incarnation, int to, Message message, String reason) implements SimTask {
    }

    /** A timer set by node {@code node}; stale if its id no longer matches. */
    record FireTimer(int node, String key, long timerId) implements SimTask {
    }

    /** Local training of node {@code node} completes. */
    record CompleteTraining(int node, int incarnation, long requestId, ParamVector model, TrainResult result,
                            long versionAtStart) implements SimTask {
    }

    /** The node's availability trace changes. */
    record AvailabilityChange(int node) implements SimTask {
    }

    /** A fault takes the node down ({@code down}) or lifts that fault. */
    record FaultChange(int node, int reasonBit, boolean down, boolean dropState) implements SimTask {
    }

    /** Periodic reporting instant. */
    record Tick() implements SimTask {
    }
}
