package io.starling.node.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.node.NodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderWatchTest {
    private static NodeStatus replica(String id, String leader) {
        return new NodeStatus(id, "replica", "async", "mnist", "127.0.0.1:1", 0, -1, -1, List.of(), List.of(), 0, 0, 0,
                0, 0, 0, 0, 0, leader, List.of("r0", "r1", "r2"));
    }

    @Test
    void theFirstLeaderIsAnnouncedButNotCountedAsAChange() {
        LeaderWatch watch = new LeaderWatch();
        assertThat(watch.observe(List.of(replica("r0", "r1"), replica("r1", "r1")))).contains("leader: r1");
        assertThat(watch.current()).isEqualTo("r1");
        assertThat(watch.changes()).isZero();
    }

    @Test
    void aNewLeaderCountsAsOneChangeAndTheSameLeaderAgainIsSilent() {
        LeaderWatch watch = new LeaderWatch();
        watch.observe(List.of(replica("r1", "r1")));
        assertThat(watch.observe(List.of(replica("r1", "r1")))).isEmpty();
        assertThat(watch.observe(List.of(replica("r1", "r2"), replica("r2", "r2")))).contains("leader changed: r1 -> r2");
        assertThat(watch.changes()).isEqualTo(1);
    }

    @Test
    void onlyAReplicaThatCallsItselfLeaderCountsAndTwoClaimantsAreUndecided() {
        LeaderWatch watch = new LeaderWatch();
        assertThat(watch.observe(List.of(replica("r0", "r1")))).as("r1 did not answer").isEmpty();
        assertThat(watch.observe(List.of(replica("r0", "r0"), replica("r1", "r1")))).isEmpty();
        assertThat(watch.current()).isEmpty();
    }
}
