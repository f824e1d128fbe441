package io.starling.net.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    @TempDir
    Path dir;

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putThenReadReturnsTheSameBytesUnderTheirDigest() {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(10_000, 1);
        BlobDigest digest = store.put(bytes);
        assertThat(digest).isEqualTo(BlobDigest.of(bytes));
        assertThat(store.read(digest)).isEqualTo(bytes);
        assertThat(store.state(digest)).isEqualTo(new BlobState(BlobState.Status.COMPLETE, 10_000, 10_000));
    }

    @Test
    void puttingAHeldBlobAgainChangesNothing() {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(100, 2);
        assertThat(store.put(bytes)).isEqualTo(store.put(bytes));
        assertThat(store.read(BlobDigest.of(bytes))).isEqualTo(bytes);
    }

    @Test
    void aPartialUploadIsNeverVisibleAsABlob() {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(1000, 3);
        BlobDigest digest = BlobDigest.of(bytes);
        try (PartialBlob p = store.openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, 400));
        }
        assertThat(store.contains(digest)).isFalse();
        assertThat(store.state(digest)).isEqualTo(new BlobState(BlobState.Status.PARTIAL, 400, 1000));
        assertThatThrownBy(() -> store.read(digest))
                .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.NOT_FOUND));
    }

    @Test
    void aClosedPartialUploadResumesWhereItStoppedEvenAfterReopeningTheStore() {
        byte[] bytes = randomBytes(1000, 4);
        BlobDigest digest = BlobDigest.of(bytes);
        try (PartialBlob p = BlobStore.open(dir).openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, 600));
        }
        BlobStore reopened = BlobStore.open(dir);
        try (PartialBlob p = reopened.openPartial(digest, bytes.length)) {
            assertThat(p.committedBytes()).isEqualTo(600);
            p.append(ByteBuffer.wrap(bytes, 600, 400));
            p.commit();
        }
        assertThat(reopened.read(digest)).isEqualTo(bytes);
        assertThat(reopened.state(digest).status()).isEqualTo(BlobState.Status.COMPLETE);
    }

    @Test
    void bytesThatDoNotMatchTheDeclaredDigestAreDiscardedAtCommit() {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(500, 5);
        BlobDigest claimed = BlobDigest.of(randomBytes(500, 6));
        PartialBlob p = store.openPartial(claimed, bytes.length);
        p.append(ByteBuffer.wrap(bytes));
        assertThatThrownBy(p::commit).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.DIGEST_MISMATCH));
        assertThat(store.state(claimed).status()).isEqualTo(BlobState.Status.ABSENT);
    }

    @Test
    void readingACorruptedBlobFailsAndQuarantinesIt() throws IOException {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(300, 7);
        BlobDigest digest = store.put(bytes);
        Path file = store.blobPath(digest);
        byte[] corrupted = bytes.clone();
        corrupted[100] ^= 1;
        Files.write(file, corrupted);
        assertThatThrownBy(() -> store.read(digest)).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.CORRUPT));
        assertThat(store.contains(digest)).isFalse();
        try (var files = Files.list(dir.resolve("quarantine"))) {
            assertThat(files.count()).isEqualTo(1);
        }
    }

    @Test
    void theFirstReadAfterAnUploadGetsTheBytesHashedOnArrivalAndLaterReadsGoBackToTheFile() throws IOException {
        BlobStore store = BlobStore.open(dir, BlobStore.DEFAULT_MAX_BLOB_BYTES, Clock.systemUTC(), 1 << 20);
        byte[] bytes = randomBytes(4096, 14);
        BlobDigest digest = BlobDigest.of(bytes);
        try (PartialBlob p = store.openPartial(digest, bytes.length)) {
            p.append(com.google.protobuf.ByteString.copyFrom(bytes, 0, 1000));
            p.append(com.google.protobuf.ByteString.copyFrom(bytes, 1000, 3096));
            p.commit();
        }
        byte[] onDisk = bytes.clone();
        onDisk[10] ^= 1;
        Files.write(store.blobPath(digest), onDisk);

        assertThat(store.read(digest)).as("handed over from the upload, not read back").isEqualTo(bytes);
        assertThatThrownBy(() -> store.read(digest)).as("the second read re-reads and re-hashes the file")
                .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.CORRUPT));
    }

    @Test
    void anUploadResumedFromAnEarlierPartialFileIsReadBackFromDisk() throws IOException {
        BlobStore store = BlobStore.open(dir, BlobStore.DEFAULT_MAX_BLOB_BYTES, Clock.systemUTC(), 1 << 20);
        byte[] bytes = randomBytes(2000, 15);
        BlobDigest digest = BlobDigest.of(bytes);
        try (PartialBlob p = store.openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, 700));
        }
        try (PartialBlob p = store.openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 700, 1300));
            p.commit();
        }
        byte[] onDisk = bytes.clone();
        onDisk[1500] ^= 1;
        Files.write(store.blobPath(digest), onDisk);

        assertThatThrownBy(() -> store.read(digest)).as("no memory copy: the first 700 bytes came from an earlier upload")
                .isInstanceOfSatisfying(BlobException.class, e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.CORRUPT));
    }

    @Test
    void aSecondUploadOfTheSameDigestWaitsForTheFirst() {
        BlobStore store = BlobStore.open(dir);
        BlobDigest digest = BlobDigest.of(randomBytes(10, 8));
        try (PartialBlob first = store.openPartial(digest, 10)) {
            assertThatThrownBy(() -> store.openPartial(digest, 10)).isInstanceOfSatisfying(BlobException.class,
                    e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.UPLOAD_IN_PROGRESS));
        }
        store.openPartial(digest, 10).close();
    }

    @Test
    void blobsAboveTheSizeLimitAreRefused() {
        BlobStore store = BlobStore.open(dir, 1000, Clock.systemUTC());
        assertThatThrownBy(() -> store.put(new byte[1001])).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.TOO_LARGE));
        assertThatThrownBy(() -> store.openPartial(BlobDigest.of(new byte[1]), 1001))
                .isInstanceOfSatisfying(BlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.TOO_LARGE));
    }

    @Test
    void resumingBeyondTheHeldBytesIsRefused() {
        BlobStore store = BlobStore.open(dir);
        byte[] bytes = randomBytes(100, 9);
        try (PartialBlob p = store.openPartial(BlobDigest.of(bytes), 100)) {
            p.append(ByteBuffer.wrap(bytes, 0, 10));
            assertThatThrownBy(() -> p.resumeAt(11)).isInstanceOfSatisfying(BlobException.class,
                    e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.BAD_OFFSET));
            assertThatThrownBy(() -> p.append(ByteBuffer.wrap(new byte[91]))).isInstanceOf(BlobException.class);
        }
    }

    @Test
    void aDifferentDeclaredSizeForAnExistingPartialIsAConflict() {
        BlobStore store = BlobStore.open(dir);
        BlobDigest digest = BlobDigest.of(randomBytes(100, 10));
        store.openPartial(digest, 100).close();
        assertThatThrownBy(() -> store.openPartial(digest, 99)).isInstanceOfSatisfying(BlobException.class,
                e -> assertThat(e.kind()).isEqualTo(BlobException.Kind.SIZE_CONFLICT));
    }

    @Test
    void sweepingRemovesOnlyIdlePartialUploads() throws IOException {
        BlobStore store = BlobStore.open(dir);
        BlobDigest idle = BlobDigest.of(randomBytes(10, 11));
        BlobDigest fresh = BlobDigest.of(randomBytes(10, 12));
        store.openPartial(idle, 10).close();
        store.openPartial(fresh, 10).close();
        try (var files = Files.list(dir.resolve("partial"))) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().startsWith(idle.hex())) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
                }
            }
        }
        assertThat(store.sweepPartials(Duration.ofMinutes(10))).isEqualTo(1);
        assertThat(store.state(idle).status()).isEqualTo(BlobState.Status.ABSENT);
        assertThat(store.state(fresh).status()).isEqualTo(BlobState.Status.PARTIAL);
    }

    @Test
    void malformedDigestsAreRejectedBeforeTouchingTheFileSystem() {
        assertThatThrownBy(() -> BlobDigest.parse("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobDigest.parse("A".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }
}
