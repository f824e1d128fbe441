package io.starling.raft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.net.fault.FaultInjector;
import io.starling.net.fault.FaultRule;
import io.starling.raft.blob.BlobException;
import io.starling.raft.blob.DirectoryBlobStore;
import io.starling.raft.blob.LocalBlobReplicator;
import io.starling.raft.blob.Sha256;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultInjectingBlobReplicatorTest {
    @TempDir
    Path dir;

    private final byte[] bytes = {4, 8, 15, 16, 23, 42};
    private final String digest = Sha256.hex(bytes);
    private final FaultInjector faults = new FaultInjector(3);
    private final ExecutorService io = Executors.newFixedThreadPool(2);
    private DirectoryBlobStore storeA;
    private DirectoryBlobStore storeB;
    private FaultInjectingBlobReplicator fromA;

    @BeforeEach
    void setUp() {
        LocalBlobReplicator shared = new LocalBlobReplicator(io);
        storeA = new DirectoryBlobStore(dir.resolve("a"), 1024);
        storeB = new DirectoryBlobStore(dir.resolve("b"), 1024);
        shared.register("a", storeA);
        shared.register("b", storeB);
        fromA = new FaultInjectingBlobReplicator("a", shared, faults);
    }

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    @Test
    void withoutRulesAPushReachesThePeer() throws Exception {
        fromA.push("b", digest, bytes).get(5, TimeUnit.SECONDS);

        assertThat(storeB.contains(digest)).isTrue();
        assertThat(fromA.droppedTransfers()).isZero();
    }

    @Test
    void aPushOverACutLinkFailsAsUnavailableAndNothingArrives() {
        faults.partition(Set.of("a"), Set.of("b"));

        assertThatThrownBy(() -> fromA.push("b", digest, bytes).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BlobException.Unavailable.class)
                .hasMessageContaining("from a to b dropped by fault injection");
        assertThat(storeB.contains(digest)).isFalse();
        assertThat(fromA.droppedTransfers()).isEqualTo(1);
    }

    @Test
    void aFetchNeedsTheReturnDirectionToo() {
        storeB.put(digest, bytes);
        faults.add(FaultRule.drop("b", "a"));

        assertThatThrownBy(() -> fromA.fetch("b", digest).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(BlobException.Unavailable.class)
                .hasMessageContaining("from b to a");
    }

    @Test
    void aPushOnlyNeedsTheForwardDirection() throws Exception {
        faults.add(FaultRule.drop("b", "a"));

        fromA.push("b", digest, bytes).get(5, TimeUnit.SECONDS);

        assertThat(storeB.contains(digest)).isTrue();
    }

    @Test
    void healingTheRulesLetsTransfersThroughAgain() throws Exception {
        storeB.put(digest, bytes);
        faults.isolate("b");
        assertThat(fromA.fetch("b", digest)).failsWithin(5, TimeUnit.SECONDS);

        faults.clear();

        assertThat(fromA.fetch("b", digest).get(5, TimeUnit.SECONDS)).isEqualTo(bytes);
    }

    @Test
    void aDelayedPushArrivesAfterTheDelay() throws Exception {
        faults.add(FaultRule.delay("a", "b", 150));

        long startNanos = System.nanoTime();
        CompletableFuture<Void> push = fromA.push("b", digest, bytes);
        push.get(5, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - startNanos) / 1_000_000;

        assertThat(tookMs).isGreaterThanOrEqualTo(150);
        assertThat(storeB.contains(digest)).isTrue();
    }
}
