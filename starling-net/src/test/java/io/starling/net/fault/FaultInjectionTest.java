package io.starling.net.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.FaultControlGrpc;
import io.starling.net.proto.FaultRules;
import io.starling.net.proto.GetRulesRequest;
import io.starling.net.proto.StatRequest;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault layer over real sockets: node "a" calls node "b"'s Blob.Stat, node "c" calls it too. */
class FaultInjectionTest {
    @TempDir
    Path dir;

    private final FaultInjector faults = new FaultInjector(7);
    private final AtomicInteger statCallsAtB = new AtomicInteger();
    private NetServer serverB;
    private PeerChannels channelsA;
    private PeerChannels channelsC;

    @BeforeEach
    void start() {
        ServerInterceptor counting = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                statCallsAtB.incrementAndGet();
                return next.startCall(call, headers);
            }
        };
        serverB = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                .faults(faults, "b")
                .intercept(counting)
                .addService(new BlobService(BlobStore.open(dir), LocalNode.of("b", "")))
                .addService(new FaultControlService(faults))
                .start();
        channelsA = new PeerChannels(LocalNode.of("a", ""), TransportOptions.defaults(), faults);
        channelsC = new PeerChannels(LocalNode.of("c", ""), TransportOptions.defaults(), faults);
    }

    @AfterEach
    void stop() {
        channelsA.close();
        channelsC.close();
        serverB.close();
    }

    private void stat(PeerChannels from, String fromId) {
        Channel ch = from.to(NodeId.of("b"), serverB.address());
        BlobGrpc.newBlockingStub(ch).stat(StatRequest.newBuilder()
                .setHeader(LocalNode.of(fromId, "").header())
                .setDigest(BlobDigest.of(new byte[] {1}).hex()).build());
    }

    @Test
    void aDropRuleFailsCallsBetweenTheChosenNodesOnly() {
        faults.add(FaultRule.drop("a", "b"));
        assertThatThrownBy(() -> stat(channelsA, "a")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).contains("dropped by fault injection");
        });
        stat(channelsC, "c");
        assertThat(faults.droppedCalls()).isEqualTo(1);
    }

    @Test
    void clearingTheRulesHealsTheLinkAtRunTime() {
        faults.isolate("b");
        assertThatThrownBy(() -> stat(channelsA, "a")).isInstanceOf(StatusRuntimeException.class);
        faults.clear();
        stat(channelsA, "a");
    }

    @Test
    void aDelayRuleStartsCallsLate() {
        faults.add(FaultRule.delay("a", "b", 300));
        long startNs = System.nanoTime();
        stat(channelsA, "a");
        assertThat((System.nanoTime() - startNs) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(faults.delayedCalls()).isEqualTo(1);
    }

    @Test
    void aDuplicateRuleDeliversAUnaryCallTwice() {
        faults.add(FaultRule.duplicate("a", "b"));
        stat(channelsA, "a");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> statCallsAtB.get() == 2);
    }

    @Test
    void theServerSideDropsCallsFromAChosenSenderEvenIfTheCallerRunsNoFaultLayer() {
        try (PeerChannels plain = new PeerChannels(LocalNode.of("c", ""), TransportOptions.defaults(), null)) {
            faults.add(FaultRule.drop("c", "b"));
            assertThatThrownBy(() -> stat(plain, "c")).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getDescription()).contains("from c to b dropped"));
        }
    }

    @Test
    void aPartitionCutsBothDirectionsBetweenTheTwoSides() {
        faults.partition(Set.of("a"), Set.of("b", "x"));
        assertThat(faults.decide("a", "b").drop()).isTrue();
        assertThat(faults.decide("b", "a").drop()).isTrue();
        assertThat(faults.decide("x", "a").drop()).isTrue();
        assertThat(faults.decide("b", "x").drop()).isFalse();
        assertThat(faults.decide("c", "b").isPass()).isTrue();
    }

    @Test
    void theFirstMatchingRuleDecides() {
        faults.add(FaultRule.delay("a", "b", 5));
        faults.add(FaultRule.drop(FaultRule.ANY, FaultRule.ANY));
        assertThat(faults.decide("a", "b").drop()).isFalse();
        assertThat(faults.decide("a", "c").drop()).isTrue();
    }

    @Test
    void faultControlReplacesTheRulesOfAnotherProcessAndRejectsInvalidOnes() {
        var control = FaultControlGrpc.newBlockingStub(channelsC.to(NodeId.of("b"), serverB.address()));
        control.setRules(FaultControlService.toProto(List.of(FaultRule.drop("a", "b"))));
        assertThat(faults.rules()).containsExactly(FaultRule.drop("a", "b"));
        assertThatThrownBy(() -> stat(channelsA, "a")).isInstanceOf(StatusRuntimeException.class);

        FaultRules invalid = FaultRules.newBuilder().addRules(io.starling.net.proto.FaultRule.newBuilder()
                .setFrom("a").setTo("b").setDropProbability(1.5)).build();
        assertThatThrownBy(() -> control.setRules(invalid)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("rules[0]").contains("dropProbability");
        });
        assertThat(control.getRules(GetRulesRequest.getDefaultInstance()).getRulesCount()).isEqualTo(1);
        control.setRules(FaultRules.getDefaultInstance());
        stat(channelsA, "a");
    }
}
