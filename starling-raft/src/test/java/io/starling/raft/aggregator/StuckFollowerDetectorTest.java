package io.starling.raft.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.aggregator.StuckFollowerDetector.Follower;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckFollowerDetectorTest {
    private final StuckFollowerDetector detector = new StuckFollowerDetector(10_000, 8_000);

    @Test
    void aFollowerThatAnswersButDoesNotMoveHandsLeadershipToTheUpToDateOne() {
        detector.observe(0, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)));
        assertThat(detector.observe(9_999, 90, List.of(new Follower("r1", 14, 4_000), new Follower("r2", 90, 100)))).isEmpty();

        assertThat(detector.observe(10_000, 95, List.of(new Follower("r1", 14, 4_000), new Follower("r2", 95, 100))))
                .contains("r2");
    }

    @Test
    void aDeadFollowerIsNotStuck() {
        detector.observe(0, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)));

        assertThat(detector.observe(20_000, 90, List.of(new Follower("r1", 14, 20_000), new Follower("r2", 90, 100)))).isEmpty();
    }

    @Test
    void aSlowFollowerThatMovesRestartsItsClock() {
        detector.observe(0, 50, List.of(new Follower("r1", 10, 100), new Follower("r2", 50, 100)));
        detector.observe(9_000, 70, List.of(new Follower("r1", 12, 100), new Follower("r2", 70, 100)));

        assertThat(detector.observe(15_000, 80, List.of(new Follower("r1", 12, 100), new Follower("r2", 80, 100)))).isEmpty();
    }

    @Test
    void anUpToDateFollowerOnAnIdleGroupIsNotStuck() {
        detector.observe(0, 50, List.of(new Follower("r1", 50, 100), new Follower("r2", 50, 100)));

        assertThat(detector.observe(60_000, 50, List.of(new Follower("r1", 50, 100), new Follower("r2", 50, 100)))).isEmpty();
    }

    @Test
    void withoutAnotherVoterToTakeOverNothingIsReported() {
        detector.observe(0, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)));

        assertThat(detector.observe(10_000, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 30_000)))).isEmpty();
    }

    @Test
    void itReportsAtMostOnce() {
        detector.observe(0, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)));
        assertThat(detector.observe(10_000, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)))).contains("r2");

        assertThat(detector.observe(20_000, 50, List.of(new Follower("r1", 14, 100), new Follower("r2", 50, 100)))).isEmpty();
    }
}
