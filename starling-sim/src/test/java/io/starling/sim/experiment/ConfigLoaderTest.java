package io.starling.sim.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.sim.testing.TestExperiments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;
    private final ConfigLoader loader = TestExperiments.runner().configLoader();

    private ExperimentConfig load(String yaml) throws IOException {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return loader.load(f);
    }

    @Test
    void fillsDefaultsForKeysTheConfigLeavesOut() throws IOException {
        ExperimentConfig c = load("""
                data: {source: blobs}
                modes: [{name: toy-star}]
                """);
        assertThat(c.durationS()).isEqualTo(3600);
        assertThat(c.devices().count()).isEqualTo(100);
        assertThat(c.devices().generator().computeMedianSamplesPerS()).isEqualTo(50);
        assertThat(c.training().batchSize()).isEqualTo(16);
        assertThat(c.data().partition()).isEqualTo("iid");
    }

    @Test
    void nestedOverridesKeepTheOtherDefaultsOfTheirSection() throws IOException {
        ExperimentConfig c = load("""
                data: {source: blobs}
                devices: {generator: {computeSigma: 0.1}}
                modes: [{name: toy-star}]
                """);
        assertThat(c.devices().generator().computeSigma()).isEqualTo(0.1);
        assertThat(c.devices().generator().uplinkMedianKbps()).isEqualTo(2000);
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheKnownKeys() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                devices: {cuont: 10}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'devices.cuont'").hasMessageContaining("count");
    }

    @Test
    void badValueIsNamedWithWhatIsExpected() {
        assertThatThrownBy(() -> load("""
                durationS: soon
                data: {source: blobs}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'durationS'").hasMessageContaining("expected a number");
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertThatThrownBy(() -> load("""
                targetAccuracy: 1.5
                data: {source: blobs}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("targetAccuracy").hasMessageContaining("(0, 1]");
    }

    @Test
    void missingDataFileIsNamed() {
        assertThatThrownBy(() -> load("""
                data: {source: "file:nowhere.csv"}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.source").hasMessageContaining("nowhere.csv").hasMessageContaining("does not exist");
    }

    @Test
    void missingTraceFileIsNamed() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                devices: {source: fedscale, fedscale: {capacity: caps.pkl}}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices.fedscale.capacity").hasMessageContaining("caps.pkl");
    }

    @Test
    void unknownModeListsTheKnownOnes() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                modes: [{name: toy-star}, {name: telepathy}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("modes[1].name").hasMessageContaining("telepathy").hasMessageContaining("toy-star");
    }

    @Test
    void unknownModeParameterIsNamed() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                modes: [{name: toy-star, params: {mixx: 0.3}}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("modes[0].params").hasMessageContaining("'mixx'").hasMessageContaining("mix");
    }

    @Test
    void badModeParameterValueIsNamed() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                modes: [{name: toy-star, params: {mix: 3}}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("modes[0].params.mix").hasMessageContaining("[0.0, 1.0]");
    }

    @Test
    void crashOfANonexistentDeviceIsRejected() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                devices: {count: 5}
                faults: {crashes: [{device: 9, atS: 10, recoverAtS: -1, keepState: true}]}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("faults.crashes[0].device").hasMessageContaining("[0, 5)");
    }

    @Test
    void unknownModelSpecIsNamed() {
        assertThatThrownBy(() -> load("""
                data: {source: blobs}
                model: {spec: transformer}
                modes: [{name: toy-star}]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("model.spec").hasMessageContaining("transformer");
    }

    @Test
    void configWithoutModesIsRejected() {
        assertThatThrownBy(() -> load("data: {source: blobs}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("modes");
    }

    @Test
    void invalidYamlSaysWhere() {
        assertThatThrownBy(() -> load("modes: [\n  {name: x\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void missingConfigFileIsNamed() {
        assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.yaml").hasMessageContaining("does not exist");
    }
}
