package io.starling.sim.testing;

import io.starling.protocol.Message;
import io.starling.protocol.NodeId;

/** A test message of a chosen size carrying a label. */
public record Note(NodeId sender, long wireBytes, String text) implements Message {
}
