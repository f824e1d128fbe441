package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.model.TrainConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FallbackSettingsTest {
    private static final Path DIR = Path.of("unused");

    @Test
    void defaultsResendAHandBackForTenTimeoutsAndShuffleEveryFourGossipPeriods() {
        FallbackSettings s = FallbackSettings.of("c0", "task", "logreg", 2_000, 500, 250, TrainConfig.defaults(), 1, DIR);

        assertThat(s.handBackTimeoutMs()).isEqualTo(20_000);
        assertThat(s.shufflePeriodMs()).isEqualTo(1_000);
        assertThat(s.viewSize()).isEqualTo(8);
    }

    @Test
    void aNonPositiveTimeoutIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> FallbackSettings.of("c0", "task", "logreg", 0, 500, 250, TrainConfig.defaults(), 1, DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallbackTimeoutMs");
        assertThatThrownBy(() -> FallbackSettings.of("c0", "task", "logreg", 2_000, -1, 250, TrainConfig.defaults(), 1, DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probePeriodMs");
    }

    @Test
    void aBlankClientIdIsRefused() {
        assertThatThrownBy(() -> FallbackSettings.of(" ", "task", "logreg", 2_000, 500, 250, TrainConfig.defaults(), 1, DIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    }
}
