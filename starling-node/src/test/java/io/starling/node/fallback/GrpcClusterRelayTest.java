package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.grpc.stub.StreamObserver;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.BlobChunk;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.FetchRequest;
import io.starling.net.proto.StatRequest;
import io.starling.net.proto.StatResponse;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.TransportOptions;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.aggregator.ClientUpdate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a group client's {@link GrpcCluster} gets a committed model from: three real Ratis
 * replicas behind their gRPC servers, and peers that are real {@code Blob} servers on 127.0.0.1
 * (holding the model, lacking it, or gone). One group serves every test; each test uses clients
 * of its own, with their own directories.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcClusterRelayTest {
    private static final ParamVector HANDED_BACK = ParamVector.of(1, 2, 3, 4, 5, 6, 7, 8);
    /** One peer per round, one round, no pause: each test names exactly the peers it means. */
    private static final RelaySettings ONE_PEER = new RelaySettings(1, 1, 0, 2_000);

    @TempDir
    static Path tmp;

    private GrpcReplicas replicas;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    void startGroupWithOneCommittedModel() throws Exception {
        AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString())
                .withCheckpointIntervalMs(100).withTimeouts(3_000, 3_000).withElectionTimeoutMs(400, 800);
        replicas = new GrpcReplicas(3, tmp.resolve("replicas"), config, ParamVector.zeros(8)).startAll();
        replicas.awaitLeader(Duration.ofSeconds(20));
        // A hand-back of age 4 against the genesis model of age 0 becomes version 1 as it is.
        long startNs = System.nanoTime();
        try (ReplicatedCluster submitter = replicas.clusterFor("submitter", tmp.resolve("submitter"))) {
            submitter.submit(ClientUpdate.handBack("submitter/handback-1", "submitter", 0, HANDED_BACK, 10, 4), 15_000)
                    .get(20, TimeUnit.SECONDS);
        }
        System.out.printf("version 1 committed %d ms after the leader served%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        opened.clear();
    }

    @AfterAll
    void stopGroup() {
        if (replicas != null) {
            replicas.close();
        }
    }

    private GrpcCluster client(String id, RelaySettings relay, Map<String, String> peers) {
        GrpcCluster cluster = replicas.clusterFor(id, tmp.resolve(id), relay, 7);
        opened.add(cluster);
        cluster.relayThrough(BlobStore.open(tmp.resolve(id).resolve("blobs")), () -> peers);
        return cluster;
    }

    /** A peer's Blob service over {@code store}, as a group client serves it. */
    private String blobServer(String id, BlobStore store) {
        NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                .addService(new BlobService(store, LocalNode.of(id, ""))).start();
        opened.add(() -> server.shutdownGracefully(Duration.ofSeconds(1)));
        return server.address();
    }

    /** An address nothing listens on: a port bound a moment ago and released (a peer that is down). */
    private static String deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    private static ServedModel served(GrpcCluster cluster) throws Exception {
        return cluster.servingModel().get(30, TimeUnit.SECONDS).orElseThrow(
                () -> new AssertionError("no serving leader answered; relay counters " + cluster.relayCounters()));
    }

    @Test
    void aClientWhosePeersAreAllDownGetsTheModelFromAReplica() throws Exception {
        Map<String, String> downPeers = Map.of("c1", deadAddress(), "c2", deadAddress(), "c3", deadAddress());
        GrpcCluster lonely = client("lonely", new RelaySettings(3, 2, 50, 2_000), downPeers);

        long startNs = System.nanoTime();
        ServedModel model = served(lonely);
        System.out.printf("with every peer down the model came from a replica after %d ms (%s)%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), lonely.relayCounters());

        assertThat(model.version()).isEqualTo(1);
        assertThat(model.params().digest()).isEqualTo(HANDED_BACK.digest());
        RelayCounters counters = lonely.relayCounters();
        assertThat(counters.fetches(RelaySource.PEER)).as("counters %s", counters).isZero();
        assertThat(counters.fetches(RelaySource.FOLLOWER) + counters.fetches(RelaySource.LEADER))
                .as("counters %s", counters).isEqualTo(1);
        assertThat(counters.totalBytes()).isEqualTo(HANDED_BACK.size() * (long) Float.BYTES);
    }

    @Test
    void aPeerThatHoldsTheModelServesItInsteadOfTheReplicas() throws Exception {
        GrpcCluster first = client("holder", RelaySettings.replicasOnly(), Map.of());
        served(first);
        String holder = blobServer("holder", BlobStore.open(tmp.resolve("holder").resolve("blobs")));
        GrpcCluster second = client("relayed", ONE_PEER, Map.of("holder", holder));

        ServedModel model = served(second);

        assertThat(model.params().digest()).isEqualTo(HANDED_BACK.digest());
        RelayCounters counters = second.relayCounters();
        assertThat(counters.bytes(RelaySource.PEER)).as("counters %s", counters)
                .isEqualTo(HANDED_BACK.size() * (long) Float.BYTES);
        assertThat(counters.fetches(RelaySource.FOLLOWER) + counters.fetches(RelaySource.LEADER))
                .as("counters %s", counters).isZero();
    }

    @Test
    void aPeerWithoutTheModelSendsTheClientOnToTheReplicas() throws Exception {
        String empty = blobServer("c9", BlobStore.open(tmp.resolve("c9-empty")));
        GrpcCluster client = client("sentOn", ONE_PEER, Map.of("c9", empty));

        ServedModel model = served(client);

        assertThat(model.params().digest()).isEqualTo(HANDED_BACK.digest());
        RelayCounters counters = client.relayCounters();
        assertThat(counters.fetches(RelaySource.PEER)).as("counters %s", counters).isZero();
        assertThat(counters.fetches(RelaySource.FOLLOWER) + counters.fetches(RelaySource.LEADER))
                .as("counters %s", counters).isEqualTo(1);
    }

    @Test
    void aPeerClaimingAnotherSizeThanTheCheckpointIsNotFetchedFrom() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        BlobGrpc.BlobImplBase liar = new BlobGrpc.BlobImplBase() {
            @Override
            public void stat(StatRequest request, StreamObserver<StatResponse> out) {
                out.onNext(StatResponse.newBuilder().setHeader(LocalNode.of("liar", "").header())
                        .setState(StatResponse.State.COMPLETE).setSizeBytes(400L << 20).setCommittedBytes(400L << 20)
                        .build());
                out.onCompleted();
            }

            @Override
            public void fetch(FetchRequest request, StreamObserver<BlobChunk> out) {
                fetches.incrementAndGet();
                out.onError(io.grpc.Status.UNIMPLEMENTED.asRuntimeException());
            }
        };
        NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults()).addService(liar).start();
        opened.add(() -> server.shutdownGracefully(Duration.ofSeconds(1)));
        GrpcCluster client = client("doubter", ONE_PEER, Map.of("liar", server.address()));

        ServedModel model = served(client);

        assertThat(model.params().digest()).isEqualTo(HANDED_BACK.digest());
        assertThat(fetches).as("fetches asked of the peer that claimed 400 MiB").hasValue(0);
        assertThat(client.relayCounters().fetches(RelaySource.PEER)).isZero();
    }

    @Test
    void aModelAlreadyHeldIsNotFetchedAgain() throws Exception {
        GrpcCluster client = client("again", RelaySettings.replicasOnly(), Map.of());
        served(client);
        long afterFirst = client.relayCounters().totalBytes();

        ServedModel again = served(client);

        assertThat(again.version()).isEqualTo(1);
        assertThat(client.relayCounters().totalBytes()).isEqualTo(afterFirst);
    }

    @Test
    void followersServeBeforeTheLeader() throws Exception {
        // Every replica holds version 1 once the followers applied it; then only a follower is asked.
        org.awaitility.Awaitility.await("every replica applied version 1").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> replicas.running().stream().map(r -> r.latest().map(c -> c.version()).orElse(-1L)).toList(),
                        versions -> versions.size() == 3 && versions.stream().allMatch(v -> v == 1));
        Map<String, Long> leaderFetches = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            GrpcCluster client = client("f" + i, RelaySettings.replicasOnly(), Map.of());
            served(client);
            leaderFetches.put("f" + i, client.relayCounters().fetches(RelaySource.LEADER));
        }
        assertThat(leaderFetches).as("leader fetches per client").allSatisfy((id, n) -> assertThat(n).isZero());
    }
}
