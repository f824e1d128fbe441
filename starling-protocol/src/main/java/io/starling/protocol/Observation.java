package io.starling.protocol;

import io.starling.protocol.message.Rejection;
import java.util.List;
import java.util.Objects;

/**
 * Something a protocol node noticed that its environment may want to count or plot (staleness
 * histograms, acknowledged updates, stragglers, mode switches) but that changes nothing outside
 * the node. Carried by {@link Action.Report}; the simulator and the node's metrics consume them,
 * and ignoring them is always safe.
 */
public sealed interface Observation {
    /** An aggregator accepted {@code updateId} from {@code client}, {@code staleness} versions behind. */
    record UpdateAccepted(NodeId client, String updateId, long staleness) implements Observation {
        public UpdateAccepted {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(updateId, "updateId");
        }
    }

    /** A message from {@code from} was refused before it touched state. */
    record MessageRejected(NodeId from, String messageType, Rejection rejection) implements Observation {
        public MessageRejected {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(messageType, "messageType");
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /** A client learned that its update {@code updateId} is part of committed version {@code version}. */
    record UpdateAcknowledged(String updateId, long version) implements Observation {
        public UpdateAcknowledged {
            Objects.requireNonNull(updateId, "updateId");
        }
    }

    /** A client learned that the aggregator refused its update {@code updateId}. */
    record UpdateRefused(String updateId, Rejection rejection) implements Observation {
        public UpdateRefused {
            Objects.requireNonNull(updateId, "updateId");
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /**
     * A synchronous round ended: {@code selected} clients were asked, {@code received} answered in
     * time, {@code dropped} are the stragglers; {@code committed} says whether a version was made.
     */
    record RoundClosed(long round, int selected, int received, List<NodeId> dropped, boolean committed)
            implements Observation {
        public RoundClosed {
            dropped = List.copyOf(dropped);
        }
    }

    /** A node switched between ways of learning, e.g. hybrid {@code CONNECTED -> FALLBACK}. */
    record ModeChanged(String from, String to, String cause) implements Observation {
        public ModeChanged {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** A node merged a peer's model of age {@code receivedAge} into its own of age {@code localAge}. */
    record ModelMerged(NodeId from, double localAge, double receivedAge, double mergedAge) implements Observation {
        public ModelMerged {
            Objects.requireNonNull(from, "from");
        }
    }
}
