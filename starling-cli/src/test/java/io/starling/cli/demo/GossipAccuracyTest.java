package io.starling.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GossipAccuracyTest {
    @Test
    void theStartIsEachClientsFirstEvaluationAveragedOverTheClients() {
        GossipAccuracy g = GossipAccuracy.of(List.of(new GossipSample(1, "c0", 0.80), new GossipSample(1.1, "c1", 0.90),
                new GossipSample(3, "c0", 0.95), new GossipSample(3.1, "c1", 0.95)));

        assertThat(g.start()).isCloseTo(0.85, within(1e-9));
    }

    @Test
    void theEndAveragesEachClientsLastTwoEvaluationsThenTheClients() {
        GossipAccuracy g = GossipAccuracy.of(List.of(new GossipSample(1, "c0", 0.50), new GossipSample(2, "c0", 0.80),
                new GossipSample(3, "c0", 0.90), new GossipSample(1, "c1", 0.70)));

        // c0: (0.80 + 0.90) / 2 = 0.85; c1 has one evaluation, 0.70.
        assertThat(g.end()).isCloseTo((0.85 + 0.70) / 2, within(1e-9));
        assertThat(g.last()).containsEntry("c0", 0.90).containsEntry("c1", 0.70);
    }

    @Test
    void noEvaluationsGiveNaNAndNoClients() {
        GossipAccuracy g = GossipAccuracy.of(List.of());

        assertThat(g.start()).isNaN();
        assertThat(g.end()).isNaN();
        assertThat(g.last()).isEmpty();
    }
}
