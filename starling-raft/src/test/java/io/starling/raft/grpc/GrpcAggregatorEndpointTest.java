package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobClient;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.proto.WatchVersionsRequest;
import io.starling.net.transport.LeaderRedirectException;
import io.starling.net.transport.LocalNode;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.NotLeaderException;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas in one JVM behind their gRPC services; clients speak only gRPC over 127.0.0.1.
 * One group serves every test (each uses its own client and update ids); none stops a replica.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcAggregatorEndpointTest {
    @TempDir
    static Path tmp;

    private GrpcReplicaGroup group;
    private final List<GrpcAggregatorEndpoint> endpoints = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        group = new GrpcReplicaGroup(3, tmp).startAll();
    }

    @AfterAll
    void stop() throws Exception {
        endpoints.forEach(GrpcAggregatorEndpoint::close);
        group.close();
    }

    private GrpcAggregatorEndpoint endpoint(String id) {
        GrpcAggregatorEndpoint e = group.endpoint(id);
        endpoints.add(e);
        return e;
    }

    private static ClientUpdate update(String client, int round, float value) {
        float[] w = new float[GrpcReplicaGroup.DIM];
        Arrays.fill(w, value);
        return new ClientUpdate(client + "/" + round, client, 0, ParamVector.wrap(w), 10, 0.5);
    }

    private String follower(String leader) {
        return group.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    @Test
    void anUpdateIsAcknowledgedOnlyWithTheCommittedVersionThatIncludesIt() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        UpdateAck ack = endpoint(leader).submit(update("c0", 0, 1f)).get(10, TimeUnit.SECONDS);

        CheckpointCommitted committed = group.replica(leader).chain().get((int) ack.version());
        assertThat(committed.includedUpdateIds()).contains("c0/0");
    }

    @Test
    void aFollowerRedirectsSubmitUpdateToTheLeaderWithItsIdAndGrpcAddressInTheTrailers() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        String follower = follower(leader);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> group.replica(follower).leaderHint().filter(leader::equals).isPresent());
        var stub = AggregatorGrpc.newBlockingStub(group.channels().to(NodeId.of(follower), group.grpcAddress(follower)));
        SubmitUpdateRequest request = SubmitUpdateRequest.newBuilder()
                .setHeader(LocalNode.of("c9", "").header()).setTaskId(GrpcReplicaGroup.TASK).setUpdateId("c9/0")
                .setModel(ModelRef.newBuilder().setDigest("0".repeat(64)).setSizeBytes(32).setDimension(8))
                .setNumSamples(1).build();

        assertThatThrownBy(() -> stub.submitUpdate(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            LeaderRedirectException redirect = LeaderRedirectException.fromStatus(e).orElseThrow();
            assertThat(redirect.leaderId()).contains(leader);
            assertThat(redirect.leaderAddress()).contains(group.grpcAddress(leader));
        });
    }

    @Test
    void theEndpointMapsARedirectToNotLeaderExceptionWithTheLeaderHint() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        String follower = follower(leader);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> group.replica(follower).leaderHint().filter(leader::equals).isPresent());

        assertThatThrownBy(() -> endpoint(follower).submit(update("c1", 0, 1f)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(NotLeaderException.class,
                        e -> assertThat(e.leaderHint()).contains(leader));
    }

    @Test
    void aModelOfTheWrongDimensionIsRejectedForGood() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        ClientUpdate wrong = new ClientUpdate("c2/0", "c2", 0, ParamVector.zeros(GrpcReplicaGroup.DIM + 1), 10, 0.5);

        assertThatThrownBy(() -> endpoint(leader).submit(wrong).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UpdateRejectedException.class)
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("parameters");
    }

    @Test
    void anUpdateBeyondMaxStalenessIsRefusedOnTheWatchStreamAsStaleWithWhatToDo() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        GrpcAggregatorEndpoint honest = endpoint(leader);
        long version = 0;
        for (int round = 0; version <= group.config.maxStaleness(); round++) {
            version = honest.submit(new ClientUpdate("c6/" + round, "c6", version, ParamVector.zeros(GrpcReplicaGroup.DIM),
                    10, 0.5)).get(10, TimeUnit.SECONDS).version();
        }
        ClientUpdate stale = new ClientUpdate("c7/0", "c7", 0, ParamVector.zeros(GrpcReplicaGroup.DIM), 10, 0.5);

        assertThatThrownBy(() -> endpoint(leader).submit(stale).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(UpdateRejectedException.class, e -> assertThat(e.isStale()).isTrue())
                .hasMessageContaining("more than maxStaleness " + group.config.maxStaleness())
                .hasMessageContaining("fetch the latest model");
    }

    @Test
    void aModelHoldingNanIsRejectedWithTheOffendingIndex() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        float[] w = new float[GrpcReplicaGroup.DIM];
        w[3] = Float.NaN;
        ClientUpdate nan = new ClientUpdate("c3/0", "c3", 0, ParamVector.wrap(w), 10, 0.5);

        assertThatThrownBy(() -> endpoint(leader).submit(nan).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UpdateRejectedException.class).hasMessageContaining("3");
    }

    @Test
    void aGossipHandBackTravelsWithItsAgeAndIsMergedAsAHandBack() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        float[] w = new float[GrpcReplicaGroup.DIM];
        Arrays.fill(w, 2f);
        ClientUpdate handBack = ClientUpdate.handBack("c7/gossip-0", "c7", 0, ParamVector.wrap(w), 10, 40);

        UpdateAck ack = endpoint(leader).submit(handBack).get(10, TimeUnit.SECONDS);

        CheckpointCommitted committed = group.replica(leader).chain().get((int) ack.version());
        assertThat(committed.includedUpdateIds()).contains("c7/gossip-0");
        assertThat(committed.metrics()).containsKey(CheckpointAggregation.HAND_BACKS_METRIC);
        assertThat(CheckpointAggregation.modelAge(committed)).isGreaterThanOrEqualTo(40);
    }

    @Test
    void anUnknownTaskIsNotFound() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        GrpcAggregatorEndpoint other = new GrpcAggregatorEndpoint(leader, group.grpcAddress(leader), group.channels(),
                LocalNode.of("c4", ""), "no-such-task");
        endpoints.add(other);

        assertThatThrownBy(() -> other.submit(update("c4", 0, 1f)).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UpdateRejectedException.class).hasMessageContaining("NOT_FOUND")
                .hasMessageContaining("no-such-task");
    }

    @Test
    void watchersSeeEveryCommittedCheckpointAsNewModelAndCanFetchItsBlob() throws Exception {
        String leader = group.awaitLeader().replica().replicaId();
        String follower = follower(leader);
        var channel = group.channels().to(NodeId.of(follower), group.grpcAddress(follower));
        Iterator<Announcement> stream = AggregatorGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .watchVersions(WatchVersionsRequest.newBuilder().setHeader(LocalNode.of("watcher", "").header())
                        .setTaskId(GrpcReplicaGroup.TASK).setAfterVersion(-1).build());
        long first = stream.next().getModel().getVersion();

        AggregatorClient client = new AggregatorClient("c5", List.of(endpoint("r0"), endpoint("r1"), endpoint("r2")),
                5_000, 50, null, System::currentTimeMillis);
        for (int round = 0; round < 4; round++) {
            client.submitUntilAcked(update("c5", round, round + 1f), 20_000);
        }
        long last = group.replica(leader).latest().orElseThrow().version();
        List<Long> seen = new ArrayList<>();
        ModelRef lastRef = null;
        while (seen.isEmpty() || seen.getLast() < last) {
            Announcement a = stream.next();
            seen.add(a.getModel().getVersion());
            lastRef = a.getModel().getModel();
        }
        List<Long> expected = new ArrayList<>();
        for (long v = first + 1; v <= last; v++) {
            expected.add(v);
        }
        assertThat(seen).isEqualTo(expected);
        String digest = lastRef.getDigest();
        Awaitility.await("the follower holds the blob").atMost(Duration.ofSeconds(10))
                .until(() -> group.replica(follower).holdsLatestBlob());
        var store = io.starling.net.blob.BlobStore.open(tmp.resolve("client-blobs"));
        BlobClient.of(channel, LocalNode.of("watcher", "")).downloadInto(store,
                io.starling.net.blob.BlobDigest.parse(digest));
        assertThat(ParamVector.fromBytes(store.read(io.starling.net.blob.BlobDigest.parse(digest))).digest())
                .isEqualTo(digest);
    }
}
