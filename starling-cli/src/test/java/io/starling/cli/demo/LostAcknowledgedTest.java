package io.starling.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.log.CheckpointCommitted;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LostAcknowledgedTest {
    private static final String DIGEST = "a".repeat(64);

    private static CheckpointCommitted checkpoint(long version, String... ids) {
        return new CheckpointCommitted(version, version - 1, DIGEST, 4, List.of(ids), "r0", new TreeMap<>(Map.of()));
    }

    private static final List<CheckpointCommitted> CHAIN = List.of(
            CheckpointCommitted.genesis(DIGEST, 4, "r0"), checkpoint(1, "c0/0", "c1/0"), checkpoint(2, "c0/1"));

    @Test
    void acknowledgementsAtTheVersionThatHoldsTheUpdateAreNotLost() {
        assertThat(DemoRun.lostAcknowledged(CHAIN, List.of(new AckRecord("c0", "c0/0", 1, 0),
                new AckRecord("c1", "c1/0", 1, 0), new AckRecord("c0", "c0/1", 2, 0)))).isZero();
    }

    @Test
    void anAcknowledgedUpdateMissingFromTheChainIsLost() {
        assertThat(DemoRun.lostAcknowledged(CHAIN, List.of(new AckRecord("c1", "c1/1", 2, 0)))).isEqualTo(1);
    }

    @Test
    void anAcknowledgementNamingTheWrongVersionCountsAsLost() {
        assertThat(DemoRun.lostAcknowledged(CHAIN, List.of(new AckRecord("c0", "c0/0", 2, 0)))).isEqualTo(1);
    }
}
