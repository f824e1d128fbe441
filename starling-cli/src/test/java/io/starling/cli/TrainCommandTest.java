package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.core.data.Mnist10k;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final String[] MNIST_FILES = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private static JsonNode json(CliRun run) throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    private static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("starling: ").contains(expected);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void mlpReachesNinetyThreePercentOnBundledMnistAndReportsJson() throws IOException {
        JsonNode r = json(CliRun.of("train", "--model", "mlp", "--hidden", "128", "--epochs", "3", "--json"));
        assertThat(r.get("model").asText()).isEqualTo("mlp(784,128,10)");
        assertThat(r.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.93);
        assertThat(r.get("train_loss").asDouble()).isPositive().isLessThan(0.5);
        assertThat(r.get("samples_per_second").asDouble()).isPositive();
        assertThat(r.get("kernels").asText()).isIn("scalar", "vector");
        assertThat(r.get("data").get("source").asText()).isEqualTo("mnist10k");
        assertThat(r.get("data").get("train_samples").asInt()).isEqualTo(Mnist10k.TRAIN_SIZE);
        assertThat(r.get("history")).hasSize(3);
        assertThat(r.get("history").get(2).get("test_accuracy").asDouble())
                .isEqualTo(r.get("test_accuracy").asDouble());
    }

    @Test
    void logregGivesASensibleAccuracy() throws IOException {
        JsonNode r = json(CliRun.of("train", "--model", "logreg", "--epochs", "1", "--json"));
        assertThat(r.get("model").asText()).isEqualTo("logreg(784,10)");
        assertThat(r.get("test_accuracy").asDouble()).isBetween(0.8, 0.95);
    }

    @Test
    void adamIsSelectableAndReported() throws IOException {
        JsonNode r = json(CliRun.of("train", "--model", "logreg", "--epochs", "1", "--optimizer", "adam",
                "--lr", "0.001", "--json"));
        assertThat(r.get("config").get("optimizer").asText()).isEqualTo("adam");
        assertThat(r.get("test_accuracy").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void unknownOptimizerIsRejected() {
        assertOneLineError(CliRun.of("train", "--optimizer", "rmsprop"), "--optimizer: unknown optimizer 'rmsprop'");
    }

    @Test
    void theSameSeedGivesTheSameResult() throws IOException {
        JsonNode a = json(CliRun.of("train", "--model", "logreg", "--epochs", "1", "--seed", "7", "--json"));
        JsonNode b = json(CliRun.of("train", "--model", "logreg", "--epochs", "1", "--seed", "7", "--json"));
        assertThat(a.get("test_accuracy")).isEqualTo(b.get("test_accuracy"));
        assertThat(a.get("train_loss")).isEqualTo(b.get("train_loss"));
    }

    @Test
    void textOutputReportsEveryEpochAndTheResult() {
        CliRun run = CliRun.of("train", "--model", "logreg", "--epochs", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("training logreg(784,10) (7,850 parameters)")
                .contains("epoch 1/2").contains("epoch 2/2").contains("test accuracy 0.");
    }

    @Test
    void trainsOnADirectoryOfPlainAndGzippedIdxFiles(@TempDir Path dir) throws IOException {
        for (int i = 0; i < MNIST_FILES.length; i++) {
            try (InputStream in = resource(MNIST_FILES[i] + ".gz")) {
                if (i % 2 == 0) {
                    Files.write(dir.resolve(MNIST_FILES[i]), new GZIPInputStream(in).readAllBytes());
                } else {
                    Files.write(dir.resolve(MNIST_FILES[i] + ".gz"), in.readAllBytes());
                }
            }
        }
        JsonNode r = json(CliRun.of("train", "--data", dir.toString(), "--model", "logreg", "--epochs", "1", "--json"));
        assertThat(r.get("data").get("format").asText()).isEqualTo("idx");
        assertThat(r.get("data").get("test_samples").asInt()).isEqualTo(Mnist10k.TEST_SIZE);
        assertThat(r.get("test_accuracy").asDouble()).isGreaterThan(0.8);
    }

    /** Three well-separated Gaussian blobs in 3-D, label first, with a header: 300 rows. */
    private static Path blobsCsv(Path dir) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        StringBuilder csv = new StringBuilder("label,x,y,z\n");
        for (int i = 0; i < 300; i++) {
            int label = i % 3;
            csv.append(label);
            for (int j = 0; j < 3; j++) {
                csv.append(',').append((j == label ? 3 : 0) + rng.nextGaussian() * 0.5);
            }
            csv.append('\n');
        }
        return Files.writeString(dir.resolve("blobs.csv"), csv);
    }

    @Test
    void trainsOnACsvFileSplitByTheTestFraction(@TempDir Path dir) throws IOException {
        Path csv = blobsCsv(dir);
        JsonNode r = json(CliRun.of("train", "--data", csv.toString(), "--header", "--label-column", "0",
                "--test-fraction", "0.25", "--scale", "standardize", "--model", "logreg", "--epochs", "10", "--json"));
        assertThat(r.get("data").get("format").asText()).isEqualTo("csv");
        assertThat(r.get("data").get("train_samples").asInt()).isEqualTo(225);
        assertThat(r.get("data").get("test_samples").asInt()).isEqualTo(75);
        assertThat(r.get("data").get("features").asInt()).isEqualTo(3);
        assertThat(r.get("model").asText()).isEqualTo("logreg(3,3)");
        assertThat(r.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void malformedCsvRowIsAOneLineErrorNamingTheLine(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "0,1.0,2.0\n1,abc,2.0\n0,1.5,2.5\n");
        CliRun run = CliRun.of("train", "--data", csv.toString(), "--model", "logreg");
        assertOneLineError(run, "bad.csv");
        assertThat(run.err()).contains("line 2").contains("abc");
    }

    @Test
    void missingCsvFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv");
        assertOneLineError(CliRun.of("train", "--data", missing.toString()), missing.toString());
    }

    @Test
    void unknownScalingIsRejected(@TempDir Path dir) throws IOException {
        Path csv = blobsCsv(dir);
        assertOneLineError(CliRun.of("train", "--data", csv.toString(), "--scale", "log"),
                "--scale must be none, minmax or standardize");
    }

    @Test
    void testFractionOutsideTheOpenUnitIntervalIsRejected(@TempDir Path dir) throws IOException {
        Path csv = blobsCsv(dir);
        assertOneLineError(CliRun.of("train", "--data", csv.toString(), "--test-fraction", "1"),
                "--test-fraction must be in (0, 1)");
    }

    @Test
    void unknownModelIsAOneLineErrorListingTheKnownOnes() {
        assertOneLineError(CliRun.of("train", "--model", "resnet50", "--epochs", "1"),
                "unknown model 'resnet50'; known models: logreg, mlp[:h1,h2,...]");
    }

    @Test
    void hiddenSizesWithLogregAreRejected() {
        assertOneLineError(CliRun.of("train", "--model", "logreg", "--hidden", "64"),
                "--hidden applies only to --model mlp");
    }

    @Test
    void missingDataDirectoryIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertOneLineError(CliRun.of("train", "--data", missing.toString(), "--format", "idx"), missing.toString());
    }

    @Test
    void directoryWithoutMnistFilesNamesWhatIsMissing(@TempDir Path dir) {
        assertOneLineError(CliRun.of("train", "--data", dir.toString()), "train-images-idx3-ubyte");
    }

    @Test
    void nonPositiveEpochsAreRejected() {
        assertOneLineError(CliRun.of("train", "--epochs", "0"), "--epochs must be >= 1, got 0");
    }

    @Test
    void badLearningRateIsRejected() {
        assertOneLineError(CliRun.of("train", "--lr", "-1"), "--lr must be a positive number");
    }

    @Test
    void unknownFormatIsRejected(@TempDir Path dir) {
        assertOneLineError(CliRun.of("train", "--data", dir.toString(), "--format", "parquet"),
                "--format must be idx or csv");
    }

    @Test
    void malformedNumberIsAOneLineUsageError() {
        CliRun run = CliRun.of("train", "--epochs", "three");
        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).startsWith("starling: ").contains("--epochs").contains("three");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void verbosePrintsTheStackTrace() {
        CliRun run = CliRun.of("train", "--model", "resnet50", "--verbose");
        assertThat(run.exitCode()).isEqualTo(StarlingCli.EXIT_USAGE);
        assertThat(run.err()).contains("UnknownModelException").contains("\tat ");
    }

    private static InputStream resource(String name) {
        InputStream in = TrainCommandTest.class.getResourceAsStream("/" + Mnist10k.RESOURCE_DIR + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }
}
