package io.starling.raft.log;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A leader term's ephemeral public key (X25519, raw encoding), published in the log so that
 * clients encrypt their updates to the current term and keys rotate with leadership. The
 * security module produces and signs the key; this record only carries it.
 *
 * @param term the Raft term the key belongs to, >= 1
 * @param publicKey raw public key bytes, 1..{@value #MAX_KEY_BYTES} bytes (copied)
 */
public record TermKeyAnnounced(long term, byte[] publicKey) implements LogEntry {
    /** Upper bound on the key size; X25519 keys are 32 bytes, signed envelopes stay well below. */
    public static final int MAX_KEY_BYTES = 1024;

    public TermKeyAnnounced {
        if (term < 1) {
            throw new IllegalArgumentException("term must be >= 1, got " + term);
        }
        if (publicKey == null || publicKey.length == 0 || publicKey.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("publicKey must have 1.." + MAX_KEY_BYTES + " bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TermKeyAnnounced other && term == other.term && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "TermKeyAnnounced[term=" + term + ", publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
