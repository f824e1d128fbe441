package io.starling.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.starling.sim.device.Availability;
import io.starling.sim.device.EnergyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FedScaleTraceLoaderTest {
    @TempDir
    static Path dir;
    static boolean pythonWrotePickles;

    @BeforeAll
    static void writePicklesWithPython() throws IOException, InterruptedException {
        Path script = Path.of("src/test/resources/fedscale/write_fixture.py").toAbsolutePath();
        try {
            Process p = new ProcessBuilder("python3", script.toString(), dir.toString()).redirectErrorStream(true).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            pythonWrotePickles = exited && p.exitValue() == 0;
        } catch (IOException e) {
            pythonWrotePickles = false; // no python3 on this machine: the pickle tests skip
        }
        Files.writeString(dir.resolve("capacity.json"), """
                {"1": {"computation": 10.0, "communication": 800.0},
                 "2": {"computation": 50, "communication": 8000.5}}""");
        Files.writeString(dir.resolve("behave.json"), """
                {"1": {"duration": 500, "inactive": [100, 300], "finish_time": 400, "active": [0, 200], "model": "Pixel 3"}}""");
    }

    private static void requirePython() {
        Assumptions.assumeTrue(pythonWrotePickles, "python3 is not available to write the FedScale pickle fixtures; skipping");
    }

    @Test
    void readsPicklesWrittenByPython() {
        requirePython();
        FedScaleTrace t = FedScaleTraceLoader.load(dir.resolve("client_device_capacity"), dir.resolve("client_behave_trace"));
        assertThat(t.capacities()).containsOnlyKeys(1L, 2L, 3L);
        assertThat(t.capacities().get(2L).communicationKbps()).isEqualTo(8000.5);
        assertThat(t.behaviours().get(1L).finishTimeS()).isEqualTo(400);
        assertThat(t.behaviours().get(2L).model()).isEqualTo("SM-G960F");
    }

    @Test
    void convertsFedScaleUnitsToDeviceProfiles() {
        requirePython();
        DeviceTrace d = FedScaleTraceLoader.load(dir.resolve("client_device_capacity"), dir.resolve("client_behave_trace"))
                .toDeviceTrace(EnergyModel.FREE, 25);
        // 3 x computation ms per sample: 10 ms -> 1000 / 30 samples/s; 800 kbit/s -> 100,000 B/s
        assertThat(d.device(0).profile().computeSamplesPerS()).isCloseTo(1000.0 / 30, within(1e-9));
        assertThat(d.device(0).profile().uplinkBytesPerS()).isEqualTo(100_000.0);
        assertThat(d.device(0).profile().downlinkBytesPerS()).isEqualTo(100_000.0);
        assertThat(d.device(0).profile().latencyMs()).isEqualTo(25);
        assertThat(d.device(2).availability()).isSameAs(Availability.ALWAYS); // client 3 has no behaviour entry
    }

    @Test
    void availabilityFollowsActiveAndInactiveModuloFinishTime() {
        requirePython();
        Availability a = FedScaleTraceLoader.load(dir.resolve("client_device_capacity"), dir.resolve("client_behave_trace"))
                .toDeviceTrace(EnergyModel.FREE, 0).device(0).availability();
        // active [0,100) and [200,300) seconds, repeating every 400 s
        assertThat(a.isAvailable(50_000)).isTrue();
        assertThat(a.isAvailable(150_000)).isFalse();
        assertThat(a.isAvailable(250_000)).isTrue();
        assertThat(a.isAvailable(350_000)).isFalse();
        assertThat(a.isAvailable(450_000)).isTrue();
        assertThat(a.nextChangeAfter(250_000)).isEqualTo(300_000);
        assertThat(a.nextChangeAfter(300_000)).isEqualTo(400_000);
    }

    @Test
    void readsTheSameDataFromJson() {
        FedScaleTrace t = FedScaleTraceLoader.load(dir.resolve("capacity.json"), dir.resolve("behave.json"));
        assertThat(t.capacities().get(1L).computationMsPerSample()).isEqualTo(10.0);
        assertThat(t.behaviours().get(1L).availability().isAvailable(250_000)).isTrue();
    }

    @Test
    void picklesAndJsonOfTheSameTraceAgree() {
        requirePython();
        DeviceTrace fromPickle = FedScaleTraceLoader.load(dir.resolve("client_device_capacity"), dir.resolve("client_behave_trace"))
                .toDeviceTrace(EnergyModel.FREE, 0);
        DeviceTrace fromJson = FedScaleTraceLoader.load(dir.resolve("capacity.json"), dir.resolve("behave.json"))
                .toDeviceTrace(EnergyModel.FREE, 0);
        assertThat(fromJson.device(0).profile()).isEqualTo(fromPickle.device(0).profile());
        assertThat(fromJson.device(1).profile()).isEqualTo(fromPickle.device(1).profile());
    }

    @Test
    void unpairedActiveAndInactiveListsAreRejectedNamingFileAndClient() {
        requirePython();
        Path bad = dir.resolve("bad_behave_trace");
        assertThatThrownBy(() -> FedScaleTraceLoader.load(dir.resolve("client_device_capacity"), bad))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("client 7").hasMessageContaining("pair up");
    }

    @Test
    void nonPositiveComputationIsRejected() throws IOException {
        Path f = dir.resolve("zero.json");
        Files.writeString(f, "{\"4\": {\"computation\": 0, \"communication\": 10}}");
        assertThatThrownBy(() -> FedScaleTraceLoader.load(f, null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("client 4").hasMessageContaining("'computation'");
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("nope.pkl");
        assertThatThrownBy(() -> FedScaleTraceLoader.load(f, null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("nope.pkl").hasMessageContaining("does not exist");
    }

    @Test
    void garbageIsNotAPickle() throws IOException {
        Path f = dir.resolve("garbage.pkl");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> FedScaleTraceLoader.load(f, null)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("garbage.pkl");
    }
}
