package io.starling.sim.experiment;

import io.starling.sim.engine.NodeFactory;

/**
 * Connects a learning mode's protocol state machines (from starling-protocol) to the simulator.
 * {@link #nodes} must read every parameter it uses from {@link ModeSetup#params()} and may throw
 * {@link ConfigException} for bad ones. Read them in {@code nodes} itself, not lazily in the
 * factory: the config loader calls {@code nodes} once with placeholder ids to validate the
 * parameters before any run starts.
 */
public interface ModeBinding {
    /** The name configs use, e.g. {@code sync}. */
    String name();

    /** One line for error messages and docs. */
    String description();

    /** The factory of this mode's nodes for one run. */
    NodeFactory nodes(ModeSetup setup);

    /** Whether {@link #stalenessOf} measures staleness for this mode. */
    default boolean reportsStaleness() {
        return false;
    }

    /**
     * How many model versions behind its receiver {@code message} is, if it carries a model
     * update; -1 if it does not or the mode cannot tell (the simulator then measures staleness
     * as versions committed during local training).
     */
    default long stalenessOf(io.starling.protocol.Message message, long receiverVersion) {
        return -1;
    }
}
