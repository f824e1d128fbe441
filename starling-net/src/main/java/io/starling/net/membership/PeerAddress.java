package io.starling.net.membership;

import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import io.starling.protocol.NodeId;

/**
 * A peer-sampling view entry as it travels: who, where, and how old.
 *
 * @param id the peer
 * @param address "host:port" of its server
 * @param age shuffle cycles since the entry was created
 */
public record PeerAddress(NodeId id, String address, int age) {
    /** Largest accepted entry age. */
    public static final int MAX_AGE = 1_000_000;

    /** Checks an untrusted "host:port". */
    public static String checkAddress(String field, String address) {
        if (address.isEmpty() || address.length() > RequestChecks.MAX_ADDRESS_CHARS) {
            throw RejectedRequestException.malformed(field + " must be a host:port of 1.."
                    + RequestChecks.MAX_ADDRESS_CHARS + " characters");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw RejectedRequestException.malformed(field + " '" + abbreviate(address) + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw RejectedRequestException.malformed(field + " port " + port + " is outside 1..65535");
            }
        } catch (NumberFormatException e) {
            throw RejectedRequestException.malformed(field + " '" + abbreviate(address) + "' has no numeric port");
        }
        for (int i = 0; i < colon; i++) {
            char c = address.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '[' || c == ']' || c == ':';
            if (!ok) {
                throw RejectedRequestException.malformed(field + " host holds an invalid character at position " + i);
            }
        }
        return address;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
