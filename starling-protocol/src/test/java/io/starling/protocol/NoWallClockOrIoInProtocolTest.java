package io.starling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check that keeps the protocol core sans-IO and deterministic: it fails the build if
 * production code in this module reads the wall clock, sleeps, draws global randomness, starts
 * threads or touches the network. Time arrives as {@code nowMs}, randomness through {@link Rng}.
 */
class NoWallClockOrIoInProtocolTest {
    static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("System\\s*\\.\\s*currentTimeMillis"),
            Pattern.compile("System\\s*\\.\\s*nanoTime"),
            Pattern.compile("Thread\\s*\\.\\s*sleep"),
            Pattern.compile("ThreadLocalRandom"),
            Pattern.compile("new\\s+Random\\s*\\("),
            Pattern.compile("Math\\s*\\.\\s*random\\s*\\("),
            Pattern.compile("Instant\\s*\\.\\s*now"),
            Pattern.compile("LocalDateTime\\s*\\.\\s*now|Clock\\s*\\.\\s*system"),
            Pattern.compile("java\\.net\\b"),
            Pattern.compile("new\\s+Thread\\s*\\("),
            Pattern.compile("Executors\\s*\\."));

    static final Path MAIN = Path.of("src/main/java");

    @Test
    void productionSourcesUseNoWallClockThreadsGlobalRandomnessOrSockets() throws IOException {
        assertThat(MAIN).as("run from the starling-protocol module directory").isDirectory();
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> scan(p, violations));
        }
        assertThat(violations).as("forbidden calls in starling-protocol/src/main").isEmpty();
    }

    @Test
    void theCheckCatchesEachForbiddenCall() {
        String[] samples = {"long t = System.currentTimeMillis();", "System.nanoTime()", "Thread.sleep(5)",
            "ThreadLocalRandom.current()", "new Random(1)", "Instant.now()", "import java.net.Socket;",
            "new Thread(r)", "Math.random()"};
        for (String s : samples) {
            assertThat(FORBIDDEN.stream().anyMatch(p -> p.matcher(s).find())).as(s).isTrue();
        }
    }

    private static void scan(Path file, List<String> violations) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                for (Pattern p : FORBIDDEN) {
                    if (p.matcher(line).find()) {
                        violations.add(file + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
