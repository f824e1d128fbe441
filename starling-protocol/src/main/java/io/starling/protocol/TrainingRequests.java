package io.starling.protocol;

/**
 * Hands out training request ids. Protocol parts composed into one node (a hybrid client's
 * aggregator client and gossip node) share one instance so their {@link Action.StartTraining} ids
 * never collide and {@link Event.TrainingDone} can be routed back to whoever asked.
 */
public final class TrainingRequests {
    private long last;

    public long next() {
        return ++last;
    }
}
