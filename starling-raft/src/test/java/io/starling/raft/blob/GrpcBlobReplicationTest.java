package io.starling.raft.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobService;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.PeerAddress;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.aggregator.UpdateAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The replicated aggregator moving its model blobs over starling-net's gRPC Blob service. */
@Timeout(60)
class GrpcBlobReplicationTest {
    private static final int DIM = 300_000; // 1.2 MB: more than one 1 MiB chunk

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ExecutorService transfers = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        transfers.shutdownNow();
    }

    @Test
    void checkpointsCommitOnlyAfterPeersHoldTheBlobReceivedOverGrpc() throws Exception {
        List<String> ids = List.of("g0", "g1", "g2");
        List<PeerAddress> voters = new ArrayList<>();
        Map<String, String> blobAddresses = new HashMap<>();
        // Each blob server binds an ephemeral port itself, so no port is picked and then lost to
        // another process before it is bound.
        Map<String, NetBlobStoreAdapter> storeOf = new HashMap<>();
        for (String id : ids) {
            voters.add(PeerAddress.loopback(id));
            NetBlobStoreAdapter store = new NetBlobStoreAdapter(
                    io.starling.net.blob.BlobStore.open(tmp.resolve(id).resolve("blobs")));
            NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                    .addService(new BlobService(store.netStore(), LocalNode.of(id, "127.0.0.1:0"))).start();
            closeables.add(server);
            storeOf.put(id, store);
            blobAddresses.put(id, "127.0.0.1:" + server.port());
        }
        AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                .withUpdatesPerCheckpoint(2).withElectionTimeoutMs(400, 800).withTimeouts(10_000, 5_000);
        List<ReplicatedAggregator> replicas = new ArrayList<>();
        List<NetBlobStoreAdapter> stores = new ArrayList<>();
        for (PeerAddress self : voters) {
            LocalNode node = LocalNode.of(self.id(), blobAddresses.get(self.id()));
            NetBlobStoreAdapter store = storeOf.get(self.id());
            PeerChannels channels = new PeerChannels(node, TransportOptions.defaults(), null);
            closeables.add(channels);
            Map<String, String> others = new HashMap<>(blobAddresses);
            others.remove(self.id());
            ReplicatedAggregator r = new ReplicatedAggregator(config, self, voters, List.of(), tmp.resolve(self.id()),
                    store, new GrpcBlobReplicator(channels, node, others, store, transfers),
                    ParamVector.zeros(DIM), null).start();
            closeables.add(r);
            replicas.add(r);
            stores.add(store);
        }
        AggregatorClient client = new AggregatorClient("c0", replicas, 5_000, 50, null, System::currentTimeMillis);

        UpdateAck last = null;
        for (int round = 0; round < 4; round++) {
            float[] w = new float[DIM];
            java.util.Arrays.fill(w, round + 1);
            last = client.submitUntilAcked(new ClientUpdate("c0/" + round, "c0", 0, ParamVector.wrap(w), 10, 0.2), 30_000);
        }

        long version = last.version();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> replicas.stream().allMatch(r -> r.latest().map(c -> c.version() >= version).orElse(false)));
        String digest = replicas.getFirst().chain().get((int) version).digest();
        long holders = stores.stream().filter(s -> s.get(digest).isPresent()).count();
        assertThat(holders).as("replicas holding the verified blob of version %d", version).isGreaterThanOrEqualTo(2);
        Awaitility.await("every replica ends up holding the blob").atMost(Duration.ofSeconds(15))
                .until(() -> stores.stream().allMatch(s -> s.contains(digest)));
    }
}
