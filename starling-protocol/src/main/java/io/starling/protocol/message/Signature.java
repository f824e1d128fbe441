package io.starling.protocol.message;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signature bytes a message carries. Empty until the security layer signs messages; kept as a
 * value (compared by content, defensively copied) so messages stay immutable records.
 */
public record Signature(byte[] bytes) {
    /** Upper bound on signature size; Ed25519 needs 64 bytes, the rest is headroom. */
    public static final int MAX_BYTES = 1024;

    /** No signature (unsigned message). */
    public static final Signature NONE = new Signature(new byte[0]);

    public Signature {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            throw new MalformedMessageException("Signature", "bytes",
                    bytes.length + " bytes exceeds the " + MAX_BYTES + "-byte limit");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length == 0 ? "Signature[none]" : "Signature[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
