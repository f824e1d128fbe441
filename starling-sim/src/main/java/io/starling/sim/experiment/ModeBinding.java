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
}
