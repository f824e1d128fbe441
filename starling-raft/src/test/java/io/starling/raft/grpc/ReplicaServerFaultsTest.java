package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.StarlingException;
import io.starling.core.param.ParamVector;
import io.starling.net.fault.FaultControlService;
import io.starling.net.fault.FaultInjector;
import io.starling.net.fault.FaultRule;
import io.starling.net.proto.FaultControlGrpc;
import io.starling.net.proto.GetRulesRequest;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorConfig;
import io.starling.raft.fault.InstallsRaftFaultHook;
import io.starling.raft.fault.RaftFaultInjection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-testing switch of {@link ReplicaServer}: off by default, and when on, driven over
 * gRPC. The replica installs the JVM-wide {@link RaftFaultInjection}, so its ids and rules name
 * only replicas of this class, and every test checks that no hook outlives it.
 */
@InstallsRaftFaultHook
@Timeout(60)
class ReplicaServerFaultsTest {
    /** Ids no other test uses: a leaked rule could never match another test's replicas. */
    private static final String SELF = "faults-test-r0";
    private static final String PEER = "faults-test-r1";

    @TempDir
    Path tmp;

    private final PeerChannels channels = new PeerChannels(LocalNode.of("test-client", ""),
            GrpcAggregatorEndpoint.channelOptions(), null);

    @AfterEach
    void closeChannelsAndRequireNoRaftHook() {
        channels.close();
        assertThat(RaftFaultInjection.isAnyInstalled()).as("a Raft fault hook left installed in the test JVM").isFalse();
    }

    private static ReplicaSpec single(Path dir) {
        return GrpcReplicaGroup.singleReplica(SELF, dir, AggregatorConfig.defaults(UUID.randomUUID().toString()));
    }

    private FaultControlGrpc.FaultControlBlockingStub control(ReplicaServer server) {
        return FaultControlGrpc.newBlockingStub(channels.to(NodeId.of(SELF), server.grpcAddress()))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void aReplicaStartedWithoutFaultsDoesNotServeFaultControl() throws Exception {
        try (ReplicaServer server = ReplicaServer.start(single(tmp), ParamVector.zeros(4), null)) {
            assertThat(RaftFaultInjection.isAnyInstalled()).as("Raft hook of a replica without faults").isFalse();
            assertThatThrownBy(() -> control(server).getRules(GetRulesRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        }
    }

    @Test
    void aReplicaStartedWithFaultsTakesRulesOverGrpc() throws Exception {
        FaultInjector faults = new FaultInjector(1);
        try (ReplicaServer server = ReplicaServer.start(single(tmp), ParamVector.zeros(4), null, null, faults)) {
            control(server).setRules(FaultControlService.toProto(List.of(FaultRule.drop(SELF, PEER))));

            assertThat(faults.rules()).containsExactly(FaultRule.drop(SELF, PEER));
            assertThat(faults.decide(PEER, SELF).drop()).isFalse();
        }
    }

    @Test
    void aReplicaStartedWithFaultsHoldsTheRaftHookUntilClosed() throws Exception {
        try (ReplicaServer server = ReplicaServer.start(single(tmp), ParamVector.zeros(4), null, null,
                new FaultInjector(2))) {
            assertThat(RaftFaultInjection.isAnyInstalled()).as("Raft hook while the replica runs").isTrue();
        }
        assertThat(RaftFaultInjection.isAnyInstalled()).as("Raft hook after close").isFalse();
    }

    @Test
    void aReplicaWithFaultsThatCannotBindReleasesTheRaftHook() throws Exception {
        try (ReplicaServer first = ReplicaServer.start(single(tmp.resolve("first")), ParamVector.zeros(4), null)) {
            int taken = Integer.parseInt(first.grpcAddress().substring(first.grpcAddress().lastIndexOf(':') + 1));
            ReplicaSpec base = single(tmp.resolve("second"));
            ReplicaSpec clash = new ReplicaSpec(base.aggregator(), base.self(), "127.0.0.1", taken, base.voters(),
                    Map.of(SELF, "127.0.0.1:" + taken), base.dataDir(), base.taskId(), base.modelSpec());

            assertThatThrownBy(() -> ReplicaServer.start(clash, ParamVector.zeros(4), null, null, new FaultInjector(3)))
                    .as("starting on a gRPC port already taken").isInstanceOf(StarlingException.class)
                    .hasMessageContaining("cannot listen");
            assertThat(RaftFaultInjection.isAnyInstalled()).as("Raft hook after the failed start").isFalse();
        }
    }
}
