package io.starling.protocol;

import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;

/** Everything that can happen to a {@link ProtocolNode}. */
public sealed interface Event {
    /** The node (re)starts; it should arm its timers. Sent once per boot or recovery. */
    record Start() implements Event {
    }

    /** A message arrived from {@code from}. */
    record MessageReceived(NodeId from, Message message) implements Event {
    }

    /** The timer set with {@link Action.SetTimer} under {@code key} is due. */
    record TimerFired(String key) implements Event {
    }

    /** The local training asked for by {@link Action.StartTraining} with this id finished. */
    record TrainingDone(long requestId, ParamVector model, TrainResult result) implements Event {
    }

    /** A message could not be delivered (peer down, RPC failure, deadline). */
    record DeliveryFailed(NodeId to, Message message, String reason) implements Event {
    }
}
