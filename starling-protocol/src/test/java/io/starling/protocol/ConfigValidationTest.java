package io.starling.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.hybrid.HybridConfig;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.sync.SyncConfig;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every protocol config rejects bad values with an {@link InvalidConfigException} naming the field. */
class ConfigValidationTest {
    static final NodeId SERVER = NodeId.of("server");
    static final TrainConfig TRAIN = TrainConfig.defaults();
    static final CyclonConfig SAMPLING = new CyclonConfig(4, 2, 100);

    static void rejectsField(String field, ThrowingCallable build) {
        assertThatThrownBy(build).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.field()).isEqualTo(field)).hasMessageContaining(field).hasMessageContaining("expected");
    }

    @Test
    void syncConfigNamesTheBadField() {
        rejectsField("clientFraction", () -> new SyncConfig("t", 2, 0, 1, 1, 100));
        rejectsField("clientFraction", () -> new SyncConfig("t", 2, 1.5, 1, 1, 100));
        rejectsField("minUpdates", () -> new SyncConfig("t", 2, 0.5, 2, 3, 100));
        rejectsField("roundDeadlineMs", () -> new SyncConfig("t", 2, 0.5, 2, 1, 0));
        rejectsField("taskId", () -> new SyncConfig(" ", 2, 0.5, 2, 1, 100));
    }

    @Test
    void asyncConfigNamesTheBadField() {
        rejectsField("bufferSize", () -> new AsyncConfig("t", 2, 0, 3));
        rejectsField("maxStaleness", () -> new AsyncConfig("t", 2, 1, -1));
        rejectsField("paramCount", () -> new AsyncConfig("t", 0, 1, 1));
    }

    @Test
    void aFedBuffRuleMustMatchTheServersBufferSize() {
        rejectsField("bufferSize", () -> new AsyncServer(SERVER, new AsyncConfig("t", 2, 5, 3), ParamVector.of(0, 0),
                AggregationRules.parse("fedbuff:k=3,lr=1")));
        assertThat(AsyncConfig.forRule("t", 2, AggregationRules.parse("fedbuff:k=3,lr=1"), 3).bufferSize()).isEqualTo(3);
        assertThat(AsyncConfig.forRule("t", 2, AggregationRules.parse("fedasync"), 3).bufferSize()).isEqualTo(1);
    }

    @Test
    void clientAndGossipConfigsNameTheBadField() {
        rejectsField("aggregator", () -> new ClientConfig("t", null, 2, TRAIN, 0));
        rejectsField("modelTimeoutMs", () -> new ClientConfig("t", SERVER, 2, TRAIN, -1));
        rejectsField("periodMs", () -> new GossipConfig("t", 2, 0, TRAIN, SAMPLING));
        rejectsField("sampling", () -> new GossipConfig("t", 2, 10, TRAIN, null));
    }

    @Test
    void hybridConfigNeedsAFallbackTimeoutAndMatchingParts() {
        GossipConfig gossip = new GossipConfig("t", 2, 10, TRAIN, SAMPLING);
        rejectsField("client.modelTimeoutMs", () -> new HybridConfig(new ClientConfig("t", SERVER, 2, TRAIN, 0), gossip, 100));
        rejectsField("gossip.taskId", () -> new HybridConfig(new ClientConfig("other", SERVER, 2, TRAIN, 50), gossip, 100));
        rejectsField("gossip.paramCount", () -> new HybridConfig(new ClientConfig("t", SERVER, 3, TRAIN, 50), gossip, 100));
        rejectsField("probePeriodMs", () -> new HybridConfig(new ClientConfig("t", SERVER, 2, TRAIN, 50), gossip, 0));
    }
}
