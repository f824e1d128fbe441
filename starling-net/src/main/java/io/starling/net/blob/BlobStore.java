package io.starling.net.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Content-addressed blob storage on a local disk.
 *
 * <p>Guarantees: a blob becomes visible under its digest only after its bytes were hashed and
 * matched, written to a temporary file, fsynced and atomically renamed into place, so a crash
 * leaves either the whole verified blob or nothing. Unfinished uploads live as
 * {@code partial/<digest>.<size>.part} files that are never served as blobs but survive a broken
 * connection (or a restart of this process), so a sender can resume where it stopped. Every read
 * through {@link #read} returns verified bytes: those an upload in this process just hashed on
 * arrival (kept in memory for the first reader, up to a byte budget), or else the file read back
 * and hashed again; a file that fails is moved to {@code quarantine/}.
 *
 * <p>Layout under the root: {@code blobs/<2 hex>/<digest>}, {@code partial/}, {@code quarantine/}.
 * Thread-safe; at most one {@link PartialBlob} per digest is open at a time in this process.
 */
public final class BlobStore {
    /** Default cap on a single blob: 512 MiB. */
    public static final long DEFAULT_MAX_BLOB_BYTES = 512L << 20;
    /** Most bytes of freshly uploaded blobs kept in memory for their first reader: 1/8 of the heap, at most 256 MiB. */
    public static final long DEFAULT_HANDOFF_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);

    private final Path blobsDir;
    private final Path partialDir;
    private final Path quarantineDir;
    private final long maxBlobBytes;
    private final Clock clock;
    private final ConcurrentMap<BlobDigest, PartialBlob> openUploads = new ConcurrentHashMap<>();
    private final VerifiedHandoff handoff;

    private BlobStore(Path root, long maxBlobBytes, Clock clock, long handoffBytes) throws IOException {
        this.blobsDir = Files.createDirectories(root.resolve("blobs"));
        this.partialDir = Files.createDirectories(root.resolve("partial"));
        this.quarantineDir = Files.createDirectories(root.resolve("quarantine"));
        this.maxBlobBytes = maxBlobBytes;
        this.clock = clock;
        this.handoff = new VerifiedHandoff(handoffBytes);
    }

    /** Opens (creating if needed) a store under {@code root} with the default size cap. */
    public static BlobStore open(Path root) {
        return open(root, DEFAULT_MAX_BLOB_BYTES, Clock.systemUTC());
    }

    /** Opens (creating if needed) a store under {@code root}; blobs larger than {@code maxBlobBytes} are refused. */
    public static BlobStore open(Path root, long maxBlobBytes, Clock clock) {
        return open(root, maxBlobBytes, clock, DEFAULT_HANDOFF_BYTES);
    }

    /**
     * Opens (creating if needed) a store under {@code root}; blobs larger than {@code maxBlobBytes}
     * are refused, and up to {@code handoffBytes} of freshly uploaded blobs are kept in memory for
     * their first {@link #read} (0: every read goes to disk).
     */
    public static BlobStore open(Path root, long maxBlobBytes, Clock clock, long handoffBytes) {
        if (maxBlobBytes < 1) {
            throw new IllegalArgumentException("maxBlobBytes must be >= 1, got " + maxBlobBytes);
        }
        try {
            return new BlobStore(root, maxBlobBytes, clock, handoffBytes);
        } catch (IOException e) {
            throw new BlobException(BlobException.Kind.IO,
                    "cannot create the blob store under " + root + ": " + e.getMessage(), e);
        }
    }

    public long maxBlobBytes() {
        return maxBlobBytes;
    }

    /** True when the verified blob is held. */
    public boolean contains(BlobDigest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    /** Size of a held blob. */
    public Optional<Long> size(BlobDigest digest) {
        try {
            return Optional.of(Files.size(blobPath(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("cannot read the size of blob " + digest.shortHex(), e);
        }
    }

    /** Whether the blob, a partial upload of it, or nothing is held. */
    public BlobState state(BlobDigest digest) {
        Optional<Long> size = size(digest);
        if (size.isPresent()) {
            return new BlobState(BlobState.Status.COMPLETE, size.get(), size.get());
        }
        Optional<Path> partial = findPartial(digest);
        if (partial.isEmpty()) {
            return BlobState.absent();
        }
        try {
            return new BlobState(BlobState.Status.PARTIAL, Files.size(partial.get()), declaredSize(partial.get()));
        } catch (NoSuchFileException e) {
            return BlobState.absent();
        } catch (IOException e) {
            throw io("cannot read the partial upload of " + digest.shortHex(), e);
        }
    }

    /**
     * Stores {@code bytes} (temp file, fsync, atomic rename) and returns their digest. Storing a
     * blob that is already held is a no-op.
     */
    public BlobDigest put(byte[] bytes) {
        if (bytes.length > maxBlobBytes) {
            throw new BlobException(BlobException.Kind.TOO_LARGE,
                    "blob of " + bytes.length + " bytes exceeds the limit of " + maxBlobBytes + " bytes");
        }
        BlobDigest digest = BlobDigest.of(bytes);
        if (contains(digest)) {
            return digest;
        }
        Path tmp = partialDir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            publish(tmp, digest);
            return digest;
        } catch (IOException e) {
            throw io("cannot store blob " + digest.shortHex(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Reads a whole blob, verified against its digest: the bytes an upload in this process hashed
     * on arrival if they are still held (handed out once), otherwise the file read back and hashed.
     * The caller owns the returned array.
     *
     * @throws BlobException NOT_FOUND when absent, CORRUPT when the bytes no longer match (the file
     *     is then moved to quarantine)
     */
    public byte[] read(BlobDigest digest) {
        byte[] handed = handoff.take(digest);
        if (handed != null && contains(digest)) {
            return handed;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        } catch (IOException e) {
            throw io("cannot read blob " + digest.shortHex(), e);
        }
        if (!BlobDigest.of(bytes).equals(digest)) {
            throw quarantine(digest);
        }
        return bytes;
    }

    /**
     * Opens a held blob for streaming. Callers that stream it should hash what they send and call
     * {@link #quarantine} when the result differs from the digest.
     */
    public FileChannel openForRead(BlobDigest digest) {
        try {
            return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        } catch (IOException e) {
            throw io("cannot open blob " + digest.shortHex(), e);
        }
    }

    /**
     * Moves a blob whose bytes do not match its digest out of the way and returns the CORRUPT
     * error to throw.
     */
    public BlobException quarantine(BlobDigest digest) {
        handoff.forget(digest);
        try {
            Files.move(blobPath(digest), quarantineDir.resolve(digest.hex() + "." + clock.millis()),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return new BlobException(BlobException.Kind.CORRUPT, "blob " + digest.shortHex()
                    + " does not match its digest and could not be quarantined: " + e.getMessage(), e);
        }
        return new BlobException(BlobException.Kind.CORRUPT, "blob " + digest.shortHex()
                + " does not match its digest on disk; it was quarantined, fetch it again");
    }

    /** Deletes a held blob (e.g. an old model version); true if it existed. */
    public boolean delete(BlobDigest digest) {
        handoff.forget(digest);
        try {
            return Files.deleteIfExists(blobPath(digest));
        } catch (IOException e) {
            throw io("cannot delete blob " + digest.shortHex(), e);
        }
    }

    /**
     * Opens the upload of {@code digest}, continuing an existing partial file or starting an empty
     * one. Close it when the transfer stops; {@link PartialBlob#commit()} publishes it.
     *
     * @throws BlobException TOO_LARGE, SIZE_CONFLICT (an existing partial or blob has another
     *     size), UPLOAD_IN_PROGRESS (another upload of this digest is open)
     */
    public PartialBlob openPartial(BlobDigest digest, long sizeBytes) {
        if (sizeBytes < 1 || sizeBytes > maxBlobBytes) {
            throw new BlobException(BlobException.Kind.TOO_LARGE, "declared blob size " + sizeBytes
                    + " bytes is outside 1.." + maxBlobBytes + " bytes");
        }
        Optional<Long> held = size(digest);
        if (held.isPresent() && held.get() != sizeBytes) {
            throw new BlobException(BlobException.Kind.SIZE_CONFLICT, "blob " + digest.shortHex()
                    + " is held with " + held.get() + " bytes, not the declared " + sizeBytes);
        }
        PartialBlob created = openUploads.compute(digest, (d, existing) -> {
            if (existing != null) {
                throw new BlobException(BlobException.Kind.UPLOAD_IN_PROGRESS, "an upload of blob "
                        + d.shortHex() + " is already in progress; retry after it ends");
            }
            return createPartial(d, sizeBytes);
        });
        return created;
    }

    private PartialBlob createPartial(BlobDigest digest, long sizeBytes) {
        Path file = partialPath(digest, sizeBytes);
        try {
            Optional<Path> other = findPartial(digest);
            if (other.isPresent() && !other.get().equals(file)) {
                long otherSize = declaredSize(other.get());
                throw new BlobException(BlobException.Kind.SIZE_CONFLICT, "a partial upload of blob "
                        + digest.shortHex() + " declares " + otherSize + " bytes, not " + sizeBytes);
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return new PartialBlob(this, digest, sizeBytes, file, ch);
        } catch (IOException e) {
            throw io("cannot open the partial upload of " + digest.shortHex(), e);
        }
    }

    /**
     * Deletes partial uploads that no one has written for {@code idle} (abandoned senders), and
     * stray temp files. Returns how many files were removed.
     */
    public int sweepPartials(Duration idle) {
        long cutoffMs = clock.millis() - idle.toMillis();
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partialDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean open = name.endsWith(".part") && openUploads.containsKey(
                        new BlobDigest(name.substring(0, name.indexOf('.'))));
                if (!open && Files.getLastModifiedTime(f).toMillis() < cutoffMs && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw io("cannot sweep partial uploads", e);
        }
        return removed;
    }

    void publish(Path verifiedFile, BlobDigest digest) throws IOException {
        Path target = blobPath(digest);
        Files.createDirectories(target.getParent());
        try {
            Files.move(verifiedFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically within " + blobsDir, e);
        }
        fsyncDirectory(target.getParent());
    }

    /** Whether an upload of {@code sizeBytes} should keep its verified bytes for the first reader. */
    boolean handsOff(long sizeBytes) {
        return handoff.accepts(sizeBytes);
    }

    void offerVerified(BlobDigest digest, byte[] bytes) {
        handoff.offer(digest, bytes);
    }

    void release(PartialBlob upload) {
        openUploads.remove(upload.digest(), upload);
    }

    Path blobPath(BlobDigest digest) {
        return blobsDir.resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private Path partialPath(BlobDigest digest, long sizeBytes) {
        return partialDir.resolve(digest.hex() + "." + sizeBytes + ".part");
    }

    private Optional<Path> findPartial(BlobDigest digest) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partialDir, digest.hex() + ".*.part")) {
            for (Path f : files) {
                return Optional.of(f);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw io("cannot list partial uploads", e);
        }
    }

    private static long declaredSize(Path partialFile) {
        String name = partialFile.getFileName().toString();
        String[] parts = name.split("\\.");
        return Long.parseLong(parts[1]);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename itself is still atomic.
            org.slf4j.LoggerFactory.getLogger(BlobStore.class)
                    .debug("directory fsync not supported for {}: {}", dir, e.toString());
        }
    }

    static MessageDigest hashPrefix(FileChannel ch, long length) throws IOException {
        MessageDigest sha = BlobDigest.sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("file ended at " + pos + " of " + length + " bytes");
            }
            buf.flip();
            sha.update(buf);
            pos += n;
        }
        return sha;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete temp file " + p, e);
        }
    }

    private static BlobException notFound(BlobDigest digest) {
        return new BlobException(BlobException.Kind.NOT_FOUND, "no complete blob " + digest.shortHex()
                + " is held here (partial uploads are not served)");
    }

    private static BlobException io(String what, IOException e) {
        return new BlobException(BlobException.Kind.IO, what + ": " + e.getMessage(), e);
    }
}
