package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.param.ParamVector;
import io.starling.net.proto.ClusterGrpc;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.raft.aggregator.AggregatorConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may change the group over {@code Cluster}: with an admin token, only callers presenting it;
 * without one, only callers on the replica's own host. The calls go over real sockets to a
 * single-replica group, whose change is a leadership transfer to itself (the cheapest change the
 * service makes; reaching the replica's answer means the guard let it through).
 */
@Timeout(60)
class ClusterAdminGuardTest {
    private static final String SELF = "admin-test-r0";
    private static final LocalNode CLIENT = LocalNode.of("admin-test-client", "");
    private static final AdminToken TOKEN = AdminToken.of("0123456789abcdef0123456789abcdef");
    /** A caller on another host (TEST-NET-1, never routed). */
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final String ADD = ClusterGrpc.getAddMemberMethod().getFullMethodName();

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

    private ReplicaServer leader(Optional<AdminToken> token) throws Exception {
        ReplicaSpec spec = GrpcReplicaGroup.singleReplica(SELF, tmp.resolve(SELF),
                AggregatorConfig.defaults(UUID.randomUUID().toString()));
        ReplicaServer s = ReplicaServer.start(token.map(spec::withAdminToken).orElse(spec), ParamVector.zeros(4), null);
        servers.add(s);
        Awaitility.await("the single replica leads").atMost(Duration.ofSeconds(30)).until(() -> s.replica().isLeader());
        return s;
    }

    private ClusterClient client(ReplicaServer s) {
        return new ClusterClient(channels, CLIENT, s.grpcAddress(), 10_000);
    }

    private static Status.Code codeOf(Throwable e) {
        return ((StatusRuntimeException) e).getStatus().getCode();
    }

    @Nested
    class WithAnAdminToken {
        @Test
        void aChangeWithoutTheTokenIsUnauthenticated() throws Exception {
            ReplicaServer s = leader(Optional.of(TOKEN));

            assertThatThrownBy(() -> client(s).transferLeadership(SELF, 1_000))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Status.Code.UNAUTHENTICATED))
                    .hasMessageContaining(AdminToken.HEADER_NAME);
        }

        @Test
        void aChangeWithAnotherTokenIsPermissionDenied() throws Exception {
            ReplicaServer s = leader(Optional.of(TOKEN));
            ClusterClient wrong = client(s).withAdminToken(AdminToken.of("fedcba9876543210fedcba9876543210"));

            assertThatThrownBy(() -> wrong.transferLeadership(SELF, 1_000))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Status.Code.PERMISSION_DENIED));
        }

        @Test
        void aChangeWithTheTokenIsMade() throws Exception {
            ReplicaServer s = leader(Optional.of(TOKEN));

            assertThat(client(s).withAdminToken(TOKEN).transferLeadership(SELF, 1_000).getReplicaId()).isEqualTo(SELF);
        }

        @Test
        void readsNeedNoToken() throws Exception {
            ReplicaServer s = leader(Optional.of(TOKEN));

            assertThat(client(s).members().getMembersList()).extracting(m -> m.getId()).containsExactly(SELF);
            assertThat(client(s).chain()).isNotEmpty();
        }

        @Test
        void evenALocalCallerNeedsTheToken() {
            ClusterAdminGuard guard = new ClusterAdminGuard(SELF, Optional.of(TOKEN));

            assertThat(guard.refusal(ADD, LOCAL, null)).map(Status::getCode).contains(Status.Code.UNAUTHENTICATED);
            assertThat(guard.refusal(ADD, REMOTE, TOKEN.value())).isEmpty();
        }
    }

    @Nested
    class WithoutAnAdminToken {
        @Test
        void aChangeFromTheReplicasOwnHostIsMade() throws Exception {
            ReplicaServer s = leader(Optional.empty());

            assertThat(client(s).transferLeadership(SELF, 1_000).getReplicaId()).isEqualTo(SELF);
        }

        @Test
        void aChangeFromAnotherHostIsPermissionDeniedSayingHowToAllowIt() {
            ClusterAdminGuard guard = new ClusterAdminGuard(SELF, Optional.empty());

            assertThat(guard.refusal(ADD, REMOTE, null)).hasValueSatisfying(status -> {
                assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(status.getDescription()).contains("Cluster.AddMember", "own host", "--token-file");
            });
        }

        @Test
        void readsFromAnotherHostAreServed() {
            ClusterAdminGuard guard = new ClusterAdminGuard(SELF, Optional.empty());

            assertThat(guard.refusal(ClusterGrpc.getMembersMethod().getFullMethodName(), REMOTE, null)).isEmpty();
            assertThat(guard.refusal(ClusterGrpc.getChainMethod().getFullMethodName(), REMOTE, null)).isEmpty();
        }
    }
}
