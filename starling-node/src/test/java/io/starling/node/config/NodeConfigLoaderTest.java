package io.starling.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeConfigLoaderTest {
    private static final String CLIENT = """
            id: client-1
            role: client
            listen: "127.0.0.1:0"
            task: {id: mnist, model: "mlp:128", mode: sync}
            client: {aggregatorId: agg, aggregatorAddress: "127.0.0.1:7000"}
            data: {partition: "dirichlet:0.5", clients: 5, index: 2}
            """;

    @Test
    void aClientConfigGetsItsValuesAndDefaults() {
        NodeConfig c = NodeConfigLoader.parse(CLIENT);
        assertThat(c.role()).isEqualTo(NodeConfig.Role.CLIENT);
        assertThat(c.task().rule()).isEqualTo("fedavg");
        assertThat(c.client().aggregatorAddress()).isEqualTo("127.0.0.1:7000");
        assertThat(c.data().index()).isEqualTo(2);
        assertThat(c.train().batchSize()).isEqualTo(32);
        assertThat(c.faults().enabled()).isFalse();
    }

    @Test
    void anUnknownKeyIsNamedWithItsPathAndTheKnownKeys() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("mode: sync", "mode: sync, epochs: 3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.epochs: unknown key; known keys here: [codec, id, maxStaleness, mode, model, rule]");
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("aggregatorId: agg, ", "")))
                .isInstanceOf(ConfigException.class).hasMessage("client.aggregatorId: required key is missing");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("role: client", "role: leader")))
                .hasMessage("role: 'leader' is not one of [aggregator, client, peer, replica]");
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("index: 2", "index: 5")))
                .hasMessage("data.index: 5 is outside 0..4");
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("\"127.0.0.1:7000\"", "nowhere")))
                .hasMessageContaining("client.aggregatorAddress: 'nowhere' is not host:port");
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("mlp:128", "resnet")))
                .hasMessageStartingWith("task.model: ");
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT.replace("mode: sync", "mode: sync, rule: \"krum:f=x\"")))
                .hasMessageStartingWith("task.rule: ");
    }

    @Test
    void sectionsOfAnotherRoleAreRefused() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(CLIENT + "aggregator: {minClients: 3}\n"))
                .hasMessage("aggregator: only for role aggregator, but this node's role is client");
    }

    @Test
    void aPeerMustLearnByGossip() {
        String peer = """
                id: p1
                role: peer
                task: {id: mnist, mode: async}
                peer: {peers: [{id: p2, address: "127.0.0.1:7001"}]}
                """;
        assertThatThrownBy(() -> NodeConfigLoader.parse(peer)).hasMessage("task.mode: a peer learns by gossip; set mode: gossip");
        assertThat(NodeConfigLoader.parse(peer.replace("async", "gossip")).peer().peers()).hasSize(1);
    }
}
