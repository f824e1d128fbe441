package io.starling.net.transport;

import io.starling.net.blob.BlobDigest;
import io.starling.net.proto.Header;
import io.starling.protocol.NodeId;

/**
 * Field checks shared by every service: the first thing a handler does with untrusted input.
 * Each check throws {@link RejectedRequestException} naming the field and the rule.
 */
public final class RequestChecks {
    /** Longest id (node, task, update) accepted, characters. */
    public static final int MAX_ID_CHARS = 128;
    /** Longest "host:port" accepted, characters. */
    public static final int MAX_ADDRESS_CHARS = 300;

    private RequestChecks() {
    }

    /** Checks a header and returns the sender's id. */
    public static NodeId sender(Header header) {
        if (header == null || header.getSenderId().isEmpty()) {
            throw RejectedRequestException.malformed("header.sender_id is required");
        }
        requireId("header.sender_id", header.getSenderId());
        if (header.getSenderAddress().length() > MAX_ADDRESS_CHARS) {
            throw RejectedRequestException.malformed("header.sender_address is longer than "
                    + MAX_ADDRESS_CHARS + " characters");
        }
        return NodeId.of(header.getSenderId());
    }

    /** Checks that {@code value} is 1..128 characters of [A-Za-z0-9._:/-]. */
    public static String requireId(String field, String value) {
        if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw RejectedRequestException.malformed(field + " must be 1.." + MAX_ID_CHARS
                    + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-' || c == '/';
            if (!ok) {
                throw RejectedRequestException.malformed(field + " may hold only [A-Za-z0-9._:/-], found "
                        + (c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + " at position " + i);
            }
        }
        return value;
    }

    /** Parses a digest field. */
    public static BlobDigest digest(String field, String value) {
        if (!BlobDigest.isWellFormed(value)) {
            throw RejectedRequestException.malformed(field + " must be 64 lower-case hex characters (SHA-256), got "
                    + value.length() + " characters");
        }
        return BlobDigest.parse(value);
    }

    /** Checks {@code min <= value <= max}. */
    public static long inRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw RejectedRequestException.malformed(field + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** Checks that {@code value} is finite and in {@code [min, max]}. */
    public static double finiteInRange(String field, double value, double min, double max) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw RejectedRequestException.malformed(field + " must be a finite number in [" + min + ", " + max
                    + "], got " + value);
        }
        return value;
    }
}
