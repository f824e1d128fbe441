package io.starling.protocol;

/**
 * A protocol message between nodes. Concrete messages are records; each validates its fields on
 * construction, and receivers validate them against their own state on receipt.
 */
public interface Message {
    /** Who sent it. */
    NodeId sender();

    /**
     * Approximate encoded size in bytes, charged by the simulator's bandwidth and energy models
     * and reported as bytes up/down.
     */
    long wireBytes();
}
