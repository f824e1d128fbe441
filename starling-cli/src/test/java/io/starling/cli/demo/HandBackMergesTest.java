package io.starling.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.log.CheckpointCommitted;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HandBackMergesTest {
    private static final String DIGEST = "b".repeat(64);

    private static CheckpointCommitted checkpoint(long version, String... ids) {
        return new CheckpointCommitted(version, version - 1, DIGEST, 4, List.of(ids), "r0", new TreeMap<>(Map.of()));
    }

    @Test
    void theMergesAreTheCheckpointsAfterTheOutageThatHoldAHandBack() {
        List<CheckpointCommitted> chain = List.of(CheckpointCommitted.genesis(DIGEST, 4, "r0"),
                checkpoint(1, "c0/handback-1"), checkpoint(2, "c0/u5"), checkpoint(3, "c1/handback-1", "c0/u6"),
                checkpoint(4, "c2/handback-1"), checkpoint(5, "c1/u9"));

        assertThat(DemoRun.handBackMerges(chain, 2)).extracting(CheckpointCommitted::version).containsExactly(3L, 4L);
    }
}
