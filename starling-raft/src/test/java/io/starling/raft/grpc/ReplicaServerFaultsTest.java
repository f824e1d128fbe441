package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import io.starling.raft.aggregator.PeerAddress;
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

/** The fault-testing switch of {@link ReplicaServer}: off by default, and when on, driven over gRPC. */
@Timeout(60)
class ReplicaServerFaultsTest {
    @TempDir
    Path tmp;

    private final PeerChannels channels = new PeerChannels(LocalNode.of("test-client", ""),
            GrpcAggregatorEndpoint.channelOptions(), null);

    @AfterEach
    void closeChannels() {
        channels.close();
    }

    private static ReplicaSpec single(Path dir) {
        PeerAddress self = PeerAddress.loopback("r0");
        String grpc = "127.0.0.1:" + GrpcReplicaGroup.freePort();
        return new ReplicaSpec(AggregatorConfig.defaults(UUID.randomUUID().toString()), self, "127.0.0.1",
                Integer.parseInt(grpc.substring(grpc.lastIndexOf(':') + 1)), List.of(self), Map.of("r0", grpc), dir,
                ReplicaSpec.DEFAULT_TASK, "vector:4");
    }

    private FaultControlGrpc.FaultControlBlockingStub control(ReplicaServer server) {
        return FaultControlGrpc.newBlockingStub(channels.to(NodeId.of("r0"), server.grpcAddress()))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void aReplicaStartedWithoutFaultsDoesNotServeFaultControl() throws Exception {
        try (ReplicaServer server = ReplicaServer.start(single(tmp), ParamVector.zeros(4), null)) {
            assertThatThrownBy(() -> control(server).getRules(GetRulesRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        }
    }

    @Test
    void aReplicaStartedWithFaultsTakesRulesOverGrpcAndReleasesTheRaftHookWhenClosed() throws Exception {
        FaultInjector faults = new FaultInjector(1);
        try (ReplicaServer server = ReplicaServer.start(single(tmp), ParamVector.zeros(4), null, null, faults)) {
            control(server).setRules(FaultControlService.toProto(List.of(FaultRule.drop("r0", "r1"))));
            assertThat(faults.rules()).containsExactly(FaultRule.drop("r0", "r1"));
            assertThat(faults.decide("r1", "r0").drop()).isFalse();
        }
        RaftFaultInjection.install(faults).close();
    }
}
