package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.param.ParamVector;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.GetModelRequest;
import io.starling.net.proto.MembersResponse;
import io.starling.net.proto.StatRequest;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's gRPC port is bound before its Raft server runs, and Ratis loads the log and
 * snapshot before its division has a role; calls in that window are refused with UNAVAILABLE
 * saying the replica is starting, never failed with an internal error. ({@link ReplicaServer#bind}
 * and {@link ReplicaServer#startReplica} are the two halves of {@link ReplicaServer#start}.)
 */
@Timeout(60)
class ReplicaServerStartupTest {
    private static final String SELF = "startup-test-r0";
    private static final LocalNode CLIENT = LocalNode.of("startup-test-client", "");

    @TempDir
    Path tmp;

    private final PeerChannels channels = new PeerChannels(CLIENT, GrpcAggregatorEndpoint.channelOptions(), null);
    private final List<ReplicaServer> servers = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (ReplicaServer s : servers) {
            s.close();
        }
        channels.close();
    }

    private ReplicaSpec single(AggregatorConfig config) {
        return GrpcReplicaGroup.singleReplica(SELF, tmp.resolve(SELF), config);
    }

    private ReplicaServer bound(ReplicaSpec spec) {
        ReplicaServer s = ReplicaServer.bind(spec, ParamVector.zeros(4), null, null, null);
        servers.add(s);
        return s;
    }

    private ClusterClient cluster(ReplicaServer s) {
        return new ClusterClient(channels, CLIENT, s.grpcAddress(), 5_000);
    }

    private static void assertStarting(StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).as("status of " + e.getStatus()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains(SELF + " is starting");
    }

    @Test
    void beforeRaftRunsMembersAnswersUnavailableSayingTheReplicaIsStarting() {
        ReplicaServer s = bound(single(AggregatorConfig.defaults(UUID.randomUUID().toString())));

        assertThatThrownBy(() -> cluster(s).members()).isInstanceOfSatisfying(StatusRuntimeException.class,
                ReplicaServerStartupTest::assertStarting);
    }

    @Test
    void beforeRaftRunsAggregatorCallsAnswerUnavailableSayingTheReplicaIsStarting() {
        ReplicaServer s = bound(single(AggregatorConfig.defaults(UUID.randomUUID().toString())));
        var aggregator = AggregatorGrpc.newBlockingStub(channels.to(NodeId.of(SELF), s.grpcAddress()))
                .withDeadlineAfter(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> aggregator.getModel(GetModelRequest.newBuilder().setHeader(CLIENT.header())
                .setTaskId(ReplicaSpec.DEFAULT_TASK).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, ReplicaServerStartupTest::assertStarting);
    }

    @Test
    void beforeRaftRunsTheBlobServiceAlreadyServes() {
        ReplicaServer s = bound(single(AggregatorConfig.defaults(UUID.randomUUID().toString())));
        var blobs = BlobGrpc.newBlockingStub(channels.to(NodeId.of(SELF), s.grpcAddress()))
                .withDeadlineAfter(5, TimeUnit.SECONDS);

        var stat = blobs.stat(StatRequest.newBuilder().setHeader(CLIENT.header())
                .setDigest(ParamVector.zeros(1).digest()).build());

        assertThat(stat.getState().name()).isNotEqualTo("UNRECOGNIZED");
    }

    @Test
    void onceRaftRunsTheSameServerAnswersMembersWithItsRole() throws Exception {
        ReplicaServer s = bound(single(AggregatorConfig.defaults(UUID.randomUUID().toString())));
        assertThatThrownBy(() -> cluster(s).members()).isInstanceOf(StatusRuntimeException.class);

        s.startReplica();

        MembersResponse members = cluster(s).members();
        assertThat(members.getReplicaId()).isEqualTo(SELF);
        assertThat(members.getRaftRole()).isIn("FOLLOWER", "CANDIDATE", "LEADER");
    }

    /**
     * A restarted replica loads its Raft log while a client polls it: every answer is either
     * "starting" or a full view, and the client is served once loading is over.
     */
    @Test
    void whileARestartedReplicaLoadsItsLogCallsAreRefusedAsStartingNeverFailedInternally() throws Exception {
        AggregatorConfig config = AggregatorConfig.defaults(UUID.randomUUID().toString());
        ReplicaSpec spec = single(config);
        ReplicaServer first = bound(spec);
        first.startReplica();
        Awaitility.await("the single replica leads").atMost(Duration.ofSeconds(30))
                .until(() -> first.replica().isLeader());
        first.close();
        servers.remove(first);

        ReplicaServer restarted = bound(spec);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
            try {
                restarted.startReplica();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        MembersResponse served = Awaitility.await("Members served by the restarted replica; answers so far")
                .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    try {
                        return cluster(restarted).members();
                    } catch (StatusRuntimeException e) {
                        seen.add(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
                        return null;
                    }
                }, m -> m != null);
        starting.get(30, TimeUnit.SECONDS);

        assertThat(served.getReplicaId()).isEqualTo(SELF);
        assertThat(seen).as("refusals while the replica started").allSatisfy(s -> assertThat(s)
                .startsWith("UNAVAILABLE: replica " + SELF + " is starting"));
    }
}
