package io.starling.raft.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTest {
    @TempDir
    Path dir;

    private final byte[] bytes = {1, 2, 3, 4, 5};
    private final String digest = Sha256.hex(bytes);

    @Test
    void aStoredBlobIsReadBackVerified() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, 1024);
        store.put(digest, bytes);

        assertThat(store.get(digest)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
        assertThat(store.contains(digest)).isTrue();
    }

    @Test
    void bytesThatDoNotMatchTheirDigestAreRefused() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, 1024);

        assertThatThrownBy(() -> store.put(digest, new byte[] {9, 9}))
                .isInstanceOf(BlobException.DigestMismatch.class);
        assertThat(store.contains(digest)).isFalse();
    }

    @Test
    void aBlobCorruptedOnDiskIsDroppedOnRead() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, 1024);
        store.put(digest, bytes);
        Files.write(dir.resolve(digest), new byte[] {7, 7, 7});

        assertThat(store.get(digest)).isEmpty();
        assertThat(store.contains(digest)).isFalse();
    }

    @Test
    void anOversizedBlobIsRefused() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, 4);

        assertThatThrownBy(() -> store.put(digest, bytes)).isInstanceOf(BlobException.TooLarge.class);
    }

    @Test
    void aMalformedDigestIsRefused() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, 1024);

        assertThatThrownBy(() -> store.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLocalReplicatorDeliversToRegisteredPeersOnly() {
        var executor = Executors.newSingleThreadExecutor();
        try {
            LocalBlobReplicator replicator = new LocalBlobReplicator(executor);
            DirectoryBlobStore peer = new DirectoryBlobStore(dir.resolve("peer"), 1024);
            replicator.register("p1", peer);

            replicator.push("p1", digest, bytes).join();
            assertThat(replicator.fetch("p1", digest).join()).isEqualTo(bytes);

            replicator.block("p1");
            assertThatThrownBy(() -> replicator.push("p1", digest, bytes).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(BlobException.Unavailable.class);
            assertThatThrownBy(() -> replicator.fetch("p2", digest).join())
                    .hasCauseInstanceOf(BlobException.Unavailable.class);
        } finally {
            executor.shutdownNow();
        }
    }
}
