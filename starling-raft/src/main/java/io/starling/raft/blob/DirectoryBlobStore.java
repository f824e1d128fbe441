package io.starling.raft.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in one directory: one file per blob, named by its digest, written
 * atomically (temp file, fsync, rename) so a crash never leaves a half-written blob under a
 * valid name.
 */
public final class DirectoryBlobStore implements BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryBlobStore.class);
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final long maxBlobBytes;

    public DirectoryBlobStore(Path dir, long maxBlobBytes) {
        if (maxBlobBytes <= 0) {
            throw new IllegalArgumentException("maxBlobBytes must be > 0, got " + maxBlobBytes);
        }
        this.dir = dir;
        this.maxBlobBytes = maxBlobBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob directory " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void put(String digest, byte[] bytes) {
        requireDigest(digest);
        if (bytes.length > maxBlobBytes) {
            throw new BlobException.TooLarge(bytes.length, maxBlobBytes);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(digest)) {
            throw new BlobException.DigestMismatch(digest, actual);
        }
        Path target = dir.resolve(digest);
        if (Files.exists(target)) {
            return;
        }
        Path tmp = dir.resolve(digest + "." + Thread.currentThread().threadId() + "." + System.nanoTime() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BlobException("cannot write blob " + digest + " to " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warn("could not remove temp file {}: {}", tmp, e.toString());
            }
        }
    }

    @Override
    public Optional<byte[]> get(String digest) {
        requireDigest(digest);
        Path file = dir.resolve(digest);
        byte[] bytes;
        try {
            if (Files.size(file) > maxBlobBytes) {
                throw new BlobException.TooLarge(Files.size(file), maxBlobBytes);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobException("cannot read blob " + digest + " from " + dir + ": " + e.getMessage(), e);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(digest)) {
            LOG.warn("blob {} in {} is corrupt (hashes to {}); deleting it", digest, dir, actual);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new BlobException("cannot delete corrupt blob " + file + ": " + e.getMessage(), e);
            }
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    @Override
    public boolean contains(String digest) {
        requireDigest(digest);
        return Files.exists(dir.resolve(digest));
    }

    private static void requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("blob digest must be 64 lower-case hex chars, got '" + digest + "'");
        }
    }
}
