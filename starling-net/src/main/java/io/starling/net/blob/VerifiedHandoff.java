package io.starling.net.blob;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of blobs an upload has just verified, kept in memory for the one reader that usually
 * follows (an aggregator decodes an update right after its {@code Blob.Put}), so that reader skips
 * reading the file back and hashing it a second time. Each entry is handed out once and then
 * forgotten; the oldest entries go first when the byte budget is full. Only bytes that were hashed
 * to their digest as they arrived get here, so what {@link #take} returns is as verified as a
 * re-read from disk.
 */
final class VerifiedHandoff {
    private final long capacityBytes;
    private final Map<BlobDigest, byte[]> entries = new LinkedHashMap<>();
    private long heldBytes;

    /** @param capacityBytes most bytes held at once; 0 turns the handoff off */
    VerifiedHandoff(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must be >= 0, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * Whether a blob of {@code sizeBytes} may be held: at most a quarter of the budget, so large
     * blobs (streamed, rarely decoded whole) never pay for a memory copy and several small ones fit.
     */
    boolean accepts(long sizeBytes) {
        return sizeBytes <= capacityBytes / 4;
    }

    /** Keeps {@code verifiedBytes} for the next reader of {@code digest}, evicting the oldest entries. */
    synchronized void offer(BlobDigest digest, byte[] verifiedBytes) {
        if (!accepts(verifiedBytes.length)) {
            return;
        }
        byte[] previous = entries.remove(digest);
        if (previous != null) {
            heldBytes -= previous.length;
        }
        Iterator<byte[]> oldest = entries.values().iterator();
        while (heldBytes + verifiedBytes.length > capacityBytes && oldest.hasNext()) {
            heldBytes -= oldest.next().length;
            oldest.remove();
        }
        entries.put(digest, verifiedBytes);
        heldBytes += verifiedBytes.length;
    }

    /** The verified bytes of {@code digest} if held, removing them; null otherwise. */
    synchronized byte[] take(BlobDigest digest) {
        byte[] bytes = entries.remove(digest);
        if (bytes != null) {
            heldBytes -= bytes.length;
        }
        return bytes;
    }

    /** Forgets {@code digest} (its file was deleted or quarantined). */
    synchronized void forget(BlobDigest digest) {
        take(digest);
    }
}
