package io.starling.protocol.message;

import io.starling.protocol.Message;

/**
 * The closed family of messages Starling's protocols exchange. Each record checks its own
 * invariants on construction (throwing {@link MalformedMessageException}); checks that depend on
 * the receiver's state (task, model dimension, finiteness, staleness) run on receipt through
 * {@link MessageValidator} and yield a typed {@link Rejection}. Every message carries its sender
 * and a {@link Signature} so the networked transport can map it one-to-one onto protobuf.
 */
public sealed interface ProtocolMessage extends Message
        permits GlobalModel, ClientUpdate, UpdateAccepted, UpdateRejected, GossipModel, ShuffleRequest,
        ShuffleReply, Join {
    /** Signature over the message's content; {@link Signature#NONE} until messages are signed. */
    Signature signature();

    /** Short type name for logs and rejection reports. */
    default String type() {
        return getClass().getSimpleName();
    }
}
