package io.starling.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
    private static DemoSettings settings(int replicas, int durationS, int kills, boolean restart) {
        return settings(replicas, durationS, kills, 0, restart);
    }

    private static DemoSettings settings(int replicas, int durationS, int kills, int outageS, boolean restart) {
        return new DemoSettings(replicas, 6, durationS, kills, outageS, 3_000, restart, 0, 1, "logreg", "dirichlet:0.5",
                Path.of("x"));
    }

    @Test
    void aRaftGroupOfTwoIsRefusedWithTheSizesThatWork() {
        assertThatThrownBy(() -> settings(2, 60, 1, true)).isInstanceOf(DemoSettingsException.class)
                .hasMessageContaining("--replicas 2").hasMessageContaining("3 or 5");
    }

    @Test
    void killingAMajorityWithoutRestartsIsRefused() {
        assertThatThrownBy(() -> settings(3, 60, 2, false)).isInstanceOf(DemoSettingsException.class)
                .hasMessageContaining("at most 1");
        assertThat(settings(5, 60, 2, false).kills()).isEqualTo(2);
    }

    @Test
    void killsAreSpreadEvenlyOverTheRun() {
        DemoSettings s = settings(3, 60, 2, true);
        assertThat(s.killAtS(0)).isEqualTo(20.0);
        assertThat(s.killAtS(1)).isEqualTo(40.0);
    }

    @Test
    void theOutageComesBeforeTheKillsAndTheyAllShareTheTrainingTimeEvenly() {
        DemoSettings s = settings(3, 60, 2, 10, true);
        assertThat(s.outageAtS()).isEqualTo(15.0);
        assertThat(s.killAtS(0)).isEqualTo(30.0);
        assertThat(s.killAtS(1)).isEqualTo(45.0);
        assertThat(s.hasOutage()).isTrue();
        assertThat(settings(3, 60, 2, 0, true).hasOutage()).isFalse();
    }

    @Test
    void anOutageNoLongerThanTheFallbackTimeoutIsRefusedBecauseNoClientWouldGossip() {
        assertThatThrownBy(() -> settings(3, 60, 1, 3, true)).isInstanceOf(DemoSettingsException.class)
                .hasMessageContaining("--outage-s 3").hasMessageContaining("fallback timeout");
    }

    @Test
    void aNegativeOutageIsRefused() {
        assertThatThrownBy(() -> settings(3, 60, 1, -1, true)).isInstanceOf(DemoSettingsException.class)
                .hasMessageContaining("--outage-s -1");
    }
}
