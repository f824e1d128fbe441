package io.starling.core.federated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.starling.core.param.ParamVector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByzantineAttackTest {
    private final ParamVector global = ParamVector.of(1, 1);
    private final ParamVector honest = ParamVector.of(2, 0);

    @Test
    void signFlipSendsTheScaledOppositeOfTheHonestUpdate() {
        ParamVector sent = new ByzantineAttack.SignFlip(4).corrupt(global, honest, new SplittableRandom(1));

        assertThat(sent.contentEquals(ParamVector.of(-3, 5))).isTrue();
    }

    @Test
    void boostSendsTheHonestUpdateScaledUp() {
        ParamVector sent = new ByzantineAttack.Boost(10).corrupt(global, honest, new SplittableRandom(1));

        assertThat(sent.contentEquals(ParamVector.of(11, -9))).isTrue();
    }

    @Test
    void gaussianNoiseIsCentredOnTheGlobalModelWithTheGivenSpread() {
        ParamVector zeros = ParamVector.zeros(100_000);
        ParamVector sent = new ByzantineAttack.GaussianNoise(3).corrupt(zeros, zeros, new SplittableRandom(1));

        assertThat(sent.norm() / Math.sqrt(sent.size())).isCloseTo(3, within(0.05));
    }

    @Test
    void anAdversaryControlsExactlyItsClients() {
        Adversary adversary = new Adversary(java.util.Set.of(2, 5), new ByzantineAttack.Boost(2));

        assertThat(adversary.controls(2)).isTrue();
        assertThat(adversary.controls(3)).isFalse();
        assertThat(Adversary.none().controls(0)).isFalse();
    }
}
