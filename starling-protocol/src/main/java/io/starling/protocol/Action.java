package io.starling.protocol;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;

/** Everything a {@link ProtocolNode} may ask its environment to do. */
public sealed interface Action {
    /** Deliver {@code message} to {@code to}. */
    record Send(NodeId to, Message message) implements Action {
    }

    /** Fire {@link Event.TimerFired} with {@code key} at absolute time {@code atMs}; replaces a timer of the same key. */
    record SetTimer(String key, long atMs) implements Action {
    }

    /** Forget the timer with {@code key}, if any. */
    record CancelTimer(String key) implements Action {
    }

    /**
     * Train a copy of {@code base} on the node's local data with {@code config}, then deliver
     * {@link Event.TrainingDone} with the same {@code requestId}. The environment decides how long
     * it takes (virtual compute time in the simulator, real time on a device).
     */
    record StartTraining(long requestId, ParamVector base, TrainConfig config) implements Action {
    }

    /**
     * A new global model version exists at this node: an aggregator committed it, or a gossip
     * node merged it. The environment stores, evaluates, replicates or reports it.
     */
    record ModelCommitted(long version, ParamVector model, double age) implements Action {
    }

    /**
     * Tell the environment about an {@link Observation} (staleness of an accepted update, an
     * acknowledgement, a straggler, a mode switch). Purely informational: dropping it is safe.
     */
    record Report(Observation observation) implements Action {
    }
}
