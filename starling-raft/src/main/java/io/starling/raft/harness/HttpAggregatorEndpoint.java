package io.starling.raft.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.NotLeaderException;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.StateMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** Client side of {@link ReplicaHttpEndpoint}: one replica process seen as an {@link AggregatorEndpoint}. */
public final class HttpAggregatorEndpoint implements AggregatorEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String replicaId;
    private final URI base;
    private final long waitMs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** @param waitMs how long the replica holds a submit open waiting for the ack */
    public HttpAggregatorEndpoint(String replicaId, URI base, long waitMs) {
        this.replicaId = replicaId;
        this.base = base;
        this.waitMs = waitMs;
    }

    @Override
    public String replicaId() {
        return replicaId;
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/submit?waitMs=" + waitMs))
                .timeout(Duration.ofMillis(waitMs + 2_000))
                .POST(HttpRequest.BodyPublishers.ofByteArray(UpdateWire.encode(update))).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> switch (resp.statusCode()) {
            case 200 -> new UpdateAck(update.updateId(), Long.parseLong(resp.body().trim()));
            case 421 -> throw new NotLeaderException(replicaId,
                    resp.body().isBlank() ? Optional.empty() : Optional.of(resp.body().trim()));
            case 422 -> throw new UpdateRejectedException(update.updateId(), resp.body());
            case 504 -> throw new java.util.concurrent.CompletionException(new TimeoutException(resp.body()));
            default -> throw new IllegalStateException("replica " + replicaId + " answered " + resp.statusCode() + ": " + resp.body());
        });
    }

    @Override
    public Optional<String> leaderHint() {
        return status().map(s -> s.path("leader").asText("")).filter(l -> !l.isEmpty());
    }

    /** The replica's status JSON, or empty when it does not answer within 300 ms. */
    public Optional<JsonNode> status() {
        try {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(base.resolve("/status"))
                    .timeout(Duration.ofMillis(300)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? Optional.of(JSON.readTree(resp.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The replica's committed chain. */
    public List<CheckpointCommitted> chain() {
        try {
            HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(base.resolve("/chain"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return StateMessages.decodeChain(resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + replicaId + " did not serve its chain", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
