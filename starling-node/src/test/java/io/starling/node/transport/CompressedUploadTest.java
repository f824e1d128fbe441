package io.starling.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.starling.net.transport.FreePorts;
import io.starling.node.RunningNode;
import io.starling.node.config.ConfigException;
import io.starling.node.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's update codec is what clients upload with: an aggregator and a client started from
 * YAML in this JVM, over real gRPC on 127.0.0.1, with {@code codec: q8}.
 */
class CompressedUploadTest {
    private static final int LOGREG_PARAMS = 784 * 10 + 10;

    @TempDir
    Path dir;

    private String yaml(String id, String role, int port, String roleSection, String codec) {
        return """
                id: %s
                role: %s
                listen: "127.0.0.1:%d"
                dataDir: "%s"
                task: {id: mnist, model: logreg, mode: async, rule: "fedasync:alpha=0.5", codec: %s}
                train: {maxSteps: 10}
                %s
                """.formatted(id, role, port, dir.resolve(id), codec, roleSection);
    }

    @Test
    void aClientUploadsItsUpdatesWithTheTasksCodecAndTheAggregatorAcceptsThem() throws Exception {
        int port = freePort();
        try (RunningNode aggregator = RunningNode.start(NodeConfigLoader.parse(yaml("agg", "aggregator", port, "", "q8")));
             RunningNode client = RunningNode.start(NodeConfigLoader.parse(yaml("c0", "client", 0, """
                     client: {aggregatorId: agg, aggregatorAddress: "127.0.0.1:%d"}
                     data: {clients: 4, index: 0}
                     """.formatted(port), "q8")))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> aggregator.status().acceptedUpdates() >= 3);
            long updates = client.status().acknowledgedUpdates();
            assertThat(updates).isGreaterThanOrEqualTo(1);
            // 8-bit quantisation: a byte a parameter, against four for f32.
            long f32Bytes = updates * 4L * LOGREG_PARAMS;
            assertThat(client.status().bytesUp()).isLessThan(f32Bytes / 2);
        }
    }

    @Test
    void topKIsRefusedForWholeModelUploadsWithWhatToUseInstead() {
        assertThatThrownBy(() -> NodeConfigLoader.parse(yaml("c0", "client", 0, """
                client: {aggregatorId: agg, aggregatorAddress: "127.0.0.1:7000"}
                data: {clients: 4, index: 0}
                """, "\"topk:0.1\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.codec")
                .hasMessageContaining("use f32, f16 or q8");
    }

    private static int freePort() throws IOException {
        return FreePorts.loopback();
    }
}
