package io.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.transport.FreePorts;
import io.starling.net.transport.LocalNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client process is SIGKILLed in the middle of uploading its update; the aggregator process stays
 * up, keeps the partial upload out of its blobs and refuses an update that names it; the restarted
 * client trains the same update again (same seed, same data, same base) and resumes the upload
 * where the aggregator's partial copy ends.
 */
class ResumeAfterKillTest {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killEverything() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }

    private Process start(String name, String yaml) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StarlingCli.class.getName(),
                "node", "--config", config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        processes.add(p);
        return p;
    }

    private Optional<Path> partialUpload(Path aggregatorData) throws IOException {
        Path partial = aggregatorData.resolve("blobs/partial");
        if (!Files.isDirectory(partial)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(partial)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).filter(f -> {
                try {
                    return Files.size(f) > 0;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
        }
    }

    private static String status(int httpPort) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/api/status")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aClientKilledMidUploadResumesAfterRestartAndThePartialBlobIsNeverAccepted() throws Exception {
        int aggPort = freePort();
        int aggHttp = freePort();
        Path aggData = dir.resolve("aggregator");
        // Async: the aggregator answers every join with its current model, so the restarted client
        // trains on the same base as before its death.
        String task = "task: {id: mnist, model: \"mlp:256\", mode: async, rule: \"fedbuff:k=1,lr=1.0\"}\n";
        start("aggregator", "id: aggregator\nrole: aggregator\nlisten: \"127.0.0.1:" + aggPort + "\"\nhttp: \"127.0.0.1:"
                + aggHttp + "\"\ndataDir: \"" + aggData + "\"\n" + task
                + "aggregator: {}\n");
        String client = "id: client-0\nrole: client\nlisten: \"127.0.0.1:" + freePort() + "\"\ndataDir: \""
                + dir.resolve("client") + "\"\nseed: 5\n" + task
                + "client: {aggregatorId: aggregator, aggregatorAddress: \"127.0.0.1:" + aggPort
                + "\", uploadBytesPerSecond: 150000, modelTimeoutMs: 30000}\n"
                + "data: {partition: iid, clients: 8, index: 0}\ntrain: {epochs: 1}\n";
        Process first = start("client-first", client);

        Path partial = Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> partialUpload(aggData), Optional::isPresent).orElseThrow();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String name = partial.getFileName().toString();
        String digest = name.substring(0, name.indexOf('.'));
        long size = Long.parseLong(name.split("\\.")[1]);
        long held = Files.size(partial);
        assertThat(held).isLessThan(size);

        assertThat(processes.get(0).isAlive()).as("aggregator survives the client's death").isTrue();
        assertThat(status(aggHttp)).contains("\"version\":0").contains("\"acceptedUpdates\":0");
        assertThat(Files.exists(aggData.resolve("blobs/blobs/" + digest.substring(0, 2) + "/" + digest))).isFalse();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", aggPort).usePlaintext().build();
        try {
            SubmitUpdateRequest sneaky = SubmitUpdateRequest.newBuilder().setHeader(LocalNode.of("client-0", "").header())
                    .setTaskId("mnist").setUpdateId("client-0/sneaky").setBaseVersion(0).setNumSamples(1)
                    .setModel(ModelRef.newBuilder().setDigest(digest).setSizeBytes(size).setDimension((int) (size / 4)))
                    .build();
            assertThatThrownBy(() -> AggregatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .submitUpdate(sneaky)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).contains("only partly uploaded");
                    });
        } finally {
            channel.shutdownNow();
        }

        start("client-second", client);
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(aggHttp).contains("\"acceptedUpdates\":1"));
        String secondLog = Files.readString(dir.resolve("client-second.log"));
        assertThat(secondLog).contains("resumed the upload of blob " + digest.substring(0, 12));
        assertThat(Files.exists(aggData.resolve("blobs/blobs/" + digest.substring(0, 2) + "/" + digest))).isTrue();
    }
}
