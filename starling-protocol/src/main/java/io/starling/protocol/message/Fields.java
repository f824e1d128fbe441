package io.starling.protocol.message;

import io.starling.protocol.NodeId;
import java.util.Objects;

/** Construction checks shared by the message records; each failure names the message and field. */
final class Fields {
    /** Longest accepted task or update id, in characters. */
    static final int MAX_ID_CHARS = 256;
    /** Fixed per-message overhead charged on the wire: type tag, lengths, version fields. */
    static final long HEADER_BYTES = 32;

    private Fields() {
    }

    static void requireSender(String type, NodeId sender, Signature signature) {
        if (sender == null) {
            throw new MalformedMessageException(type, "sender", "is missing");
        }
        if (signature == null) {
            throw new MalformedMessageException(type, "signature", "is missing (use Signature.NONE)");
        }
    }

    static void requireId(String type, String field, String id) {
        if (id == null || id.isBlank()) {
            throw new MalformedMessageException(type, field, "is missing or blank");
        }
        if (id.length() > MAX_ID_CHARS) {
            throw new MalformedMessageException(type, field, "has " + id.length() + " characters, more than " + MAX_ID_CHARS);
        }
    }

    static void requireNonNegative(String type, String field, long value) {
        if (value < 0) {
            throw new MalformedMessageException(type, field, "must be >= 0, got " + value);
        }
    }

    static void requireAge(String type, double age) {
        if (!(age >= 0) || Double.isInfinite(age)) {
            throw new MalformedMessageException(type, "age", "must be a finite number >= 0, got " + age);
        }
    }

    static <T> T requirePresent(String type, String field, T value) {
        if (value == null) {
            throw new MalformedMessageException(type, field, "is missing");
        }
        return value;
    }

    static long wireBytes(NodeId sender, Signature signature, long payloadBytes) {
        Objects.requireNonNull(sender);
        return HEADER_BYTES + sender.value().length() + signature.size() + payloadBytes;
    }

    static long idBytes(String id) {
        return id.length();
    }
}
