package io.starling.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.aggregate.FedBuff;
import io.starling.raft.aggregator.AggregatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} section of a replica and the {@code client.replicas} form of a client. */
class ReplicatedConfigTest {
    private static final String GROUP = "7d0a1c52-6f5e-4d3b-9a51-2b8e1f3c4d5e";
    private static final String REPLICA = """
            id: r1
            role: replica
            http: "127.0.0.1:0"
            task: {id: mnist, model: "mlp:32", mode: async, rule: fedavg}
            cluster:
              groupId: %s
              members:
                - {id: r1, raft: "127.0.0.1:7201", grpc: "127.0.0.1:7101"}
                - {id: r2, raft: "127.0.0.1:7202", grpc: "127.0.0.1:7102"}
                - {id: r3, raft: "127.0.0.1:7203", grpc: "127.0.0.1:7103"}
            """.formatted(GROUP);
    private static final String CLIENT = """
            id: c0
            role: client
            task: {id: mnist, model: "mlp:32", mode: async}
            client:
              replicas:
                - {id: r1, address: "127.0.0.1:7101"}
                - {id: r2, address: "127.0.0.1:7102"}
              peers:
                - {id: c0, address: "127.0.0.1:7300"}
                - {id: c1, address: "127.0.0.1:7301"}
            data: {clients: 2, index: 0}
            """;

    @Test
    void aReplicaGetsItsMembersAndTheRaftDefaults() {
        NodeConfig c = NodeConfigLoader.parse(REPLICA);
        assertThat(c.role()).isEqualTo(NodeConfig.Role.REPLICA);
        assertThat(c.cluster().members()).extracting(NodeConfig.Member::id).containsExactly("r1", "r2", "r3");
        assertThat(c.cluster().member("r1").grpc()).isEqualTo("127.0.0.1:7101");
        AggregatorConfig raft = c.cluster().aggregatorConfig(c.task().rule(), c.task().maxStaleness());
        assertThat(raft.groupId()).isEqualTo(GROUP);
        assertThat(raft.electionTimeoutMinMs()).isEqualTo(150);
        assertThat(raft.electionTimeoutMaxMs()).isEqualTo(300);
        assertThat(raft.updatesPerCheckpoint()).isEqualTo(4);
        assertThat(raft.termLengthMs()).isZero();
        assertThat(c.cluster().join()).isFalse();
    }

    @Test
    void aReplicaWithoutAnAdminTokenFileHasNone() {
        assertThat(NodeConfigLoader.parse(REPLICA).cluster().adminToken()).isEmpty();
    }

    @Test
    void aReplicaReadsItsAdminTokenFileWhenTheConfigIsLoaded(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "a-long-enough-admin-token\n");
        NodeConfig c = NodeConfigLoader.parse(REPLICA + "  adminTokenFile: \"" + token + "\"\n");
        assertThat(c.cluster().adminToken()).hasValueSatisfying(t -> assertThat(t.matches("a-long-enough-admin-token")).isTrue());
    }

    @Test
    void aMissingOrTooShortAdminTokenFileIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path shortToken = Files.writeString(dir.resolve("short.token"), "short\n");
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA + "  adminTokenFile: \"" + shortToken + "\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.adminTokenFile")
                .hasMessageContaining("short.token");
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA + "  adminTokenFile: \"" + dir.resolve("none") + "\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.adminTokenFile")
                .hasMessageContaining("cannot read");
    }

    @Test
    void aReplicaTakesItsTimingKeys() {
        NodeConfig c = NodeConfigLoader.parse(REPLICA + """
                  electionTimeoutMinMs: 400
                  electionTimeoutMaxMs: 800
                  updatesPerCheckpoint: 2
                  checkpointIntervalMs: 50
                  termLengthMs: 30000
                  snapshotEveryEntries: 64
                """);
        AggregatorConfig raft = c.cluster().aggregatorConfig(c.task().rule(), c.task().maxStaleness());
        assertThat(raft.electionTimeoutMinMs()).isEqualTo(400);
        assertThat(raft.electionTimeoutMaxMs()).isEqualTo(800);
        assertThat(raft.updatesPerCheckpoint()).isEqualTo(2);
        assertThat(raft.checkpointIntervalMs()).isEqualTo(50);
        assertThat(raft.termLengthMs()).isEqualTo(30_000);
        assertThat(raft.snapshotEveryEntries()).isEqualTo(64);
    }

    @Test
    void aFedBuffRuleBuffersAsManyUpdatesAsACheckpointTakes() {
        NodeConfig c = NodeConfigLoader.parse(REPLICA.replace("rule: fedavg", "rule: \"fedbuff:k=9,lr=0.5\"") + """
                  updatesPerCheckpoint: 3
                """);
        AggregatorConfig raft = c.cluster().aggregatorConfig(c.task().rule(), c.task().maxStaleness());
        assertThat(raft.updatesPerCheckpoint()).isEqualTo(3);
        assertThat(raft.rule()).isInstanceOfSatisfying(FedBuff.class, f -> {
            assertThat(f.bufferSize()).isEqualTo(3);
            assertThat(f.serverLearningRate()).isEqualTo(0.5);
        });
        assertThat(raft.logSegmentBytes()).isEqualTo(NodeConfig.Cluster.LOG_SEGMENT_BYTES);
    }

    @Test
    void aNonBufferingRuleIsKeptAsWritten() {
        NodeConfig c = NodeConfigLoader.parse(REPLICA);
        assertThat(c.cluster().aggregatorConfig("fedavg", 7).ruleSpec()).isEqualTo("fedavg");
        assertThat(c.cluster().aggregatorConfig("fedavg", 7).maxStaleness()).isEqualTo(7);
    }

    @Test
    void aGroupIdThatIsNotAUuidIsRefused() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace(GROUP, "my-group")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cluster.groupId: 'my-group' is not a UUID");
    }

    @Test
    void aReplicaMustBeAMemberOfItsGroup() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("id: r1\n", "id: r9\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cluster.members: this node's id 'r9' is not listed");
    }

    @Test
    void aMissingClusterSectionNamesTheFirstRequiredKey() {
        String noCluster = REPLICA.substring(0, REPLICA.indexOf("cluster:"));
        assertThatThrownBy(() -> NodeConfigLoader.parse(noCluster))
                .hasMessage("cluster.groupId: required key is missing");
    }

    @Test
    void anUnknownClusterKeyIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA + "  electionMs: 300\n"))
                .hasMessageStartingWith("cluster.electionMs: unknown key; known keys here: [adminTokenFile, blobReplicationTimeoutMs,");
    }

    @Test
    void anElectionTimeoutRangeMustBeIncreasing() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA + "  electionTimeoutMinMs: 500\n  electionTimeoutMaxMs: 400\n"))
                .hasMessageStartingWith("cluster.electionTimeoutMaxMs: 400 must exceed electionTimeoutMinMs (500)");
    }

    @Test
    void duplicateMemberIdsAndAddressesAreRefused() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("{id: r3,", "{id: r2,")))
                .hasMessage("cluster.members[2].id: replica 'r2' is listed twice");
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("7203", "7102")))
                .hasMessageStartingWith("cluster.members[2].raft: 127.0.0.1:7102 is already used by cluster.members[1].grpc");
    }

    @Test
    void memberAddressesNeedAFixedPort() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("7202", "0")))
                .hasMessageStartingWith("cluster.members[1].raft: the other replicas and clients dial this address");
    }

    @Test
    void aReplicaListensOnItsMemberGrpcAddress() {
        assertThatThrownBy(() -> NodeConfigLoader.parse("listen: \"127.0.0.1:9999\"\n" + REPLICA))
                .hasMessageStartingWith("listen: a replica serves on its member entry's grpc address (127.0.0.1:7101)");
        assertThat(NodeConfigLoader.parse("listen: \"127.0.0.1:7101\"\n" + REPLICA).cluster()).isNotNull();
    }

    @Test
    void aReplicaAggregatesAsynchronously() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("mode: async", "mode: sync")))
                .hasMessageStartingWith("task.mode: the replicated aggregator commits checkpoints");
    }

    @Test
    void aReplicaIdMustBeARaftPeerId() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(REPLICA.replace("id: r1\n", "id: r.1\n")))
                .hasMessageStartingWith("id: 'r.1' cannot name a replica");
    }

    @Test
    void aClusterSectionMakesAClientAVotingMemberValidatedLikeAReplica() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT + "cluster: {groupId: " + GROUP + "}\n"))
                .hasMessageStartingWith("cluster.members: required");
    }

    @Test
    void aVotingClientReachesTheGroupAtTheMembersGrpcAddresses() {
        String votingClient = CLIENT.replace("""
                  replicas:
                    - {id: r1, address: "127.0.0.1:7101"}
                    - {id: r2, address: "127.0.0.1:7102"}
                """, "") + """
                listen: "127.0.0.1:7300"
                cluster:
                  groupId: %s
                  members:
                    - {id: c0, raft: "127.0.0.1:7200", grpc: "127.0.0.1:7100"}
                    - {id: c1, raft: "127.0.0.1:7201", grpc: "127.0.0.1:7101"}
                """.formatted(GROUP);
        NodeConfig c = NodeConfigLoader.parse(votingClient);
        assertThat(c.role()).isEqualTo(NodeConfig.Role.CLIENT);
        assertThat(c.cluster().members()).extracting(NodeConfig.Member::id).containsExactly("c0", "c1");
        assertThat(c.group().replicas()).extracting(NodeConfig.PeerRef::address)
                .containsExactly("127.0.0.1:7100", "127.0.0.1:7101");
    }

    @Test
    void theClusterSectionBelongsToReplicasAndVotingClientsOnly() {
        String peer = """
                id: p0
                role: peer
                task: {id: mnist, model: logreg, mode: gossip}
                peer:
                  peers:
                    - {id: p1, address: "127.0.0.1:7400"}
                cluster: {groupId: %s}
                """.formatted(GROUP);
        assertThatThrownBy(() -> NodeConfigLoader.parse(peer))
                .hasMessage("cluster: only for role replica (or a client that is also a voting member), but this "
                        + "node's role is peer");
    }

    @Test
    void aClientOfAGroupGetsItsReplicasPeersAndFallbackDefaults() {
        NodeConfig c = NodeConfigLoader.parse(CLIENT);
        assertThat(c.group().replicas()).extracting(NodeConfig.PeerRef::id).containsExactly("r1", "r2");
        assertThat(c.group().peers()).extracting(NodeConfig.PeerRef::id).as("its own entry is dropped").containsExactly("c1");
        assertThat(c.group().fallbackTimeoutMs()).isEqualTo(10_000);
        assertThat(c.group().probePeriodMs()).isEqualTo(2_000);
        assertThat(c.group().gossipPeriodMs()).isEqualTo(1_000);
    }

    @Test
    void aClientNamesOneAggregatorOrAGroupNotBoth() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("  replicas:", "  aggregatorId: agg\n  replicas:")))
                .hasMessageStartingWith("client.aggregatorId: only for a client of one aggregator; a client names "
                        + "either one aggregator");
    }

    @Test
    void groupKeysWithoutReplicasAreRefused() {
        String single = """
                id: c0
                role: client
                task: {id: mnist, mode: async}
                client: {aggregatorId: agg, aggregatorAddress: "127.0.0.1:7000", fallbackTimeoutMs: 5000}
                """;
        assertThatThrownBy(() -> NodeConfigLoader.parse(single))
                .hasMessageStartingWith("client.fallbackTimeoutMs: only for a client of a replicated group");
    }

    @Test
    void aClientNeedsAtLeastOneReplica() {
        String none = CLIENT.substring(0, CLIENT.indexOf("    - {id: r1")) + "  peers: []\ndata: {clients: 2, index: 0}\n";
        assertThatThrownBy(() -> NodeConfigLoader.parse(none.replace("  replicas:\n", "  replicas: []\n")))
                .hasMessageStartingWith("client.replicas: expected a non-empty list of {id, address}");
    }

    @Test
    void aClientOfAGroupRefusesSyncMode() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("mode: async", "mode: sync")))
                .hasMessageStartingWith("task.mode: the replicated aggregator commits checkpoints");
    }
}
