package io.starling.protocol.message;

import io.starling.core.StarlingException;

/**
 * A message could not be built because a field breaks the message's own invariants (blank task
 * id, negative version, too many descriptors). Decoders of untrusted bytes catch it and drop the
 * message; receipt checks that depend on the receiver's state produce a {@link Rejection} instead.
 */
public final class MalformedMessageException extends StarlingException {
    private final String messageType;
    private final String field;

    public MalformedMessageException(String messageType, String field, String problem) {
        super("malformed " + messageType + ": " + field + " " + problem);
        this.messageType = messageType;
        this.field = field;
    }

    public String messageType() {
        return messageType;
    }

    public String field() {
        return field;
    }
}
