package io.starling.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.SplittableRng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceGeneratorTest {
    private final DeviceGenerator generator = new DeviceGenerator(GeneratorParams.defaults());

    @Test
    void sameSeedGivesTheSameDevices() {
        DeviceTrace a = generator.generate(50, SplittableRng.seeded(3));
        DeviceTrace b = generator.generate(50, SplittableRng.seeded(3));
        for (int i = 0; i < 50; i++) {
            assertThat(a.device(i).profile()).isEqualTo(b.device(i).profile());
        }
    }

    @Test
    void computeSpeedIsLogNormalAroundTheMedian() {
        DeviceTrace t = generator.generate(4000, SplittableRng.seeded(1));
        double[] logs = t.devices().stream().mapToDouble(e -> Math.log(e.profile().computeSamplesPerS())).sorted().toArray();
        double median = Math.exp(logs[logs.length / 2]);
        double mean = Arrays.stream(logs).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / logs.length);
        assertThat(median).isBetween(45.0, 55.0);
        assertThat(sd).isBetween(0.75, 0.85);
    }

    @Test
    void availabilityIsDiurnalWithMoreDevicesOnlineAtNightThanAtNoon() {
        DeviceTrace t = generator.generate(2000, SplittableRng.seeded(2));
        long day = 86_400_000L;
        long atMidnight = t.devices().stream().filter(e -> e.availability().isAvailable(day + 1)).count();
        long atNoon = t.devices().stream().filter(e -> e.availability().isAvailable(day + day / 2)).count();
        assertThat(atMidnight).isGreaterThan(2 * atNoon);
        assertThat(atNoon).isGreaterThanOrEqualTo(150); // the always-on tenth plus daytime sessions
    }

    @Test
    void aboutTheConfiguredShareOfDevicesRunsOnABattery() {
        DeviceTrace t = generator.generate(2000, SplittableRng.seeded(4));
        long battery = t.devices().stream().filter(e -> e.profile().hasBattery()).count();
        assertThat(battery).isBetween(520L, 680L);
    }
}
