package io.starling.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.starling.protocol.SplittableRng;
import io.starling.sim.device.EnergyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample trace in examples/traces/generated-200 is the generator's output for seed 2026 with
 * default parameters. Regenerate it with {@code -Dstarling.regenerateSampleTrace=true}.
 */
class SampleTraceTest {
    static final Path SAMPLE = Path.of("../examples/traces/generated-200");
    static final long SEED = 2026;

    private static DeviceTrace generated() {
        return new DeviceGenerator(GeneratorParams.defaults()).generate(200, SplittableRng.seeded(SEED));
    }

    @Test
    void committedSampleIsTheGeneratorOutputForItsSeed(@TempDir Path tmp) throws IOException {
        if (Boolean.getBoolean("starling.regenerateSampleTrace")) {
            FedScaleTraceWriter.writeJson(generated(), SAMPLE);
        }
        FedScaleTraceWriter.writeJson(generated(), tmp);
        assertThat(Files.readString(SAMPLE.resolve(FedScaleTraceWriter.CAPACITY_FILE)))
                .isEqualTo(Files.readString(tmp.resolve(FedScaleTraceWriter.CAPACITY_FILE)));
        assertThat(Files.readString(SAMPLE.resolve(FedScaleTraceWriter.BEHAVIOUR_FILE)))
                .isEqualTo(Files.readString(tmp.resolve(FedScaleTraceWriter.BEHAVIOUR_FILE)));
    }

    @Test
    void writtenTraceLoadsBackWithTheSameComputeAndAvailability(@TempDir Path tmp) {
        DeviceTrace original = generated();
        FedScaleTraceWriter.writeJson(original, tmp);
        DeviceTrace loaded = FedScaleTraceLoader.load(tmp.resolve(FedScaleTraceWriter.CAPACITY_FILE),
                tmp.resolve(FedScaleTraceWriter.BEHAVIOUR_FILE)).toDeviceTrace(EnergyModel.FREE, 0);
        assertThat(loaded.size()).isEqualTo(200);
        for (int i = 0; i < 200; i++) {
            assertThat(loaded.device(i).profile().computeSamplesPerS())
                    .isCloseTo(original.device(i).profile().computeSamplesPerS(), within(0.01 * original.device(i).profile().computeSamplesPerS()));
            for (long t = 0; t < 86_400_000L; t += 900_000L) {
                assertThat(loaded.device(i).availability().isAvailable(t))
                        .as("device %d at %d ms", i, t).isEqualTo(original.device(i).availability().isAvailable(t));
            }
        }
    }
}
