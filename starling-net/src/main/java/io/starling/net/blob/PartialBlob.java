package io.starling.net.blob;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * An upload in progress: bytes appended in order to a partial file that is not visible as a
 * blob. The SHA-256 is computed as bytes arrive (the prefix of a resumed file is hashed once on
 * open), so verification overlaps the transfer. {@link #commit()} checks the digest, fsyncs and
 * atomically publishes the blob; closing
 * without committing keeps the partial file so a later upload can resume from
 * {@link #committedBytes()}.
 *
 * <p>Not thread-safe: one transfer writes it. Obtain from {@link BlobStore#openPartial}.
 */
public final class PartialBlob implements AutoCloseable {
    private final BlobStore store;
    private final BlobDigest digest;
    private final long sizeBytes;
    private final Path file;
    private final FileChannel channel;
    private long committedBytes;
    private MessageDigest running;
    private byte[] memoryCopy;
    private boolean closed;

    PartialBlob(BlobStore store, BlobDigest digest, long sizeBytes, Path file, FileChannel channel)
            throws IOException {
        this.store = store;
        this.digest = digest;
        this.sizeBytes = sizeBytes;
        this.file = file;
        this.channel = channel;
        this.committedBytes = Math.min(channel.size(), sizeBytes);
        this.running = BlobStore.hashPrefix(channel, committedBytes);
        // A fresh upload small enough keeps a copy for the reader that follows (see VerifiedHandoff).
        this.memoryCopy = committedBytes == 0 && store.handsOff(sizeBytes) ? new byte[(int) sizeBytes] : null;
    }

    public BlobDigest digest() {
        return digest;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Bytes held so far; a resumed upload starts at or before this offset. */
    public long committedBytes() {
        return committedBytes;
    }

    /**
     * Positions the upload at {@code offset}, discarding anything after it.
     *
     * @throws BlobException BAD_OFFSET when {@code offset} is negative or beyond {@link #committedBytes()}
     */
    public void resumeAt(long offset) {
        ensureOpen();
        if (offset < 0 || offset > committedBytes) {
            throw new BlobException(BlobException.Kind.BAD_OFFSET, "cannot resume blob " + digest.shortHex()
                    + " at byte " + offset + ": " + committedBytes + " bytes are held, resume at most there");
        }
        try {
            channel.truncate(offset);
            if (offset < committedBytes) {
                running = BlobStore.hashPrefix(channel, offset);
            }
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO, "cannot truncate the partial upload of "
                    + digest.shortHex() + ": " + e.getMessage(), e);
        }
        committedBytes = offset;
    }

    /**
     * Appends {@code data} at {@link #committedBytes()}.
     *
     * @throws BlobException BAD_OFFSET when the data would run past the declared size
     */
    public void append(ByteBuffer data) {
        ensureOpen();
        requireRoom(data.remaining());
        writeAndHash(data);
    }

    /**
     * Appends a received chunk at {@link #committedBytes()}, hashing and writing straight from the
     * chunk's backing arrays: a read-only view would make {@link MessageDigest} copy it in 4 KiB
     * pieces first, which cost more than the hash itself.
     *
     * @throws BlobException BAD_OFFSET when the data would run past the declared size
     */
    public void append(ByteString data) {
        ensureOpen();
        requireRoom(data.size());
        try {
            UnsafeByteOperations.unsafeWriteTo(data, new ByteOutput() {
                @Override
                public void write(byte value) {
                    writeAndHash(ByteBuffer.wrap(new byte[] {value}));
                }

                @Override
                public void write(byte[] value, int offset, int length) {
                    writeAndHash(ByteBuffer.wrap(value, offset, length));
                }

                @Override
                public void writeLazy(byte[] value, int offset, int length) {
                    write(value, offset, length);
                }

                @Override
                public void write(ByteBuffer value) {
                    writeAndHash(value.duplicate());
                }

                @Override
                public void writeLazy(ByteBuffer value) {
                    write(value);
                }
            });
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO, "cannot write the partial upload of "
                    + digest.shortHex() + ": " + e.getMessage(), e);
        }
    }

    private void requireRoom(long length) {
        if (committedBytes + length > sizeBytes) {
            throw new BlobException(BlobException.Kind.BAD_OFFSET, "upload of blob " + digest.shortHex()
                    + " sends more than its declared " + sizeBytes + " bytes");
        }
    }

    /** Hashes and writes {@code data} (position to limit) at {@link #committedBytes()}. */
    private void writeAndHash(ByteBuffer data) {
        int length = data.remaining();
        if (data.hasArray()) {
            running.update(data.array(), data.arrayOffset() + data.position(), length);
        } else {
            running.update(data.duplicate());
        }
        if (memoryCopy != null) {
            data.duplicate().get(memoryCopy, (int) committedBytes, length);
        }
        try {
            long pos = committedBytes;
            while (data.hasRemaining()) {
                pos += channel.write(data, pos);
            }
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO, "cannot write the partial upload of "
                    + digest.shortHex() + ": " + e.getMessage(), e);
        }
        committedBytes += length;
    }

    /** True once all declared bytes are held (not yet verified). */
    public boolean isFull() {
        return committedBytes == sizeBytes;
    }

    /**
     * Verifies the bytes against the digest, fsyncs and atomically publishes the blob, then closes.
     *
     * @throws BlobException BAD_OFFSET when bytes are missing; DIGEST_MISMATCH when the bytes hash
     *     to another digest (the partial file is deleted, since resuming it cannot succeed)
     */
    public BlobDigest commit() {
        ensureOpen();
        if (!isFull()) {
            throw new BlobException(BlobException.Kind.BAD_OFFSET, "upload of blob " + digest.shortHex()
                    + " is incomplete: " + committedBytes + " of " + sizeBytes + " bytes");
        }
        try {
            BlobDigest actual = BlobDigest.fromRaw(running.digest());
            if (!actual.equals(digest)) {
                close();
                Files.deleteIfExists(file);
                throw new BlobException(BlobException.Kind.DIGEST_MISMATCH, "uploaded bytes hash to "
                        + actual.shortHex() + ", not the declared " + digest.shortHex()
                        + "; the partial upload was discarded");
            }
            channel.force(true);
            channel.close();
            store.publish(file, digest);
            close();
            if (memoryCopy != null) {
                store.offerVerified(digest, memoryCopy);
                memoryCopy = null;
            }
            return digest;
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO, "cannot publish blob " + digest.shortHex()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Stops writing; the partial file stays for a later resume. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO, "cannot close the partial upload of "
                    + digest.shortHex() + ": " + e.getMessage(), e);
        } finally {
            store.release(this);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the upload of blob " + digest.shortHex() + " is closed");
        }
    }
}
