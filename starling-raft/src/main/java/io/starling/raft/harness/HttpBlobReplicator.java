package io.starling.raft.harness;

import io.starling.raft.blob.BlobException;
import io.starling.raft.blob.BlobReplicator;
import io.starling.raft.blob.Sha256;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link BlobReplicator} over the harness HTTP endpoints of the other replica processes: a push
 * is a {@code PUT /blob/<digest>} that the receiver verifies before storing, a fetch is a
 * {@code GET} verified here. A dead peer refuses the connection, so it never counts towards the
 * majority.
 */
public final class HttpBlobReplicator implements BlobReplicator {
    private final Map<String, URI> peers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Duration timeout;

    /** @param peers base URIs ({@code http://127.0.0.1:port}) by replica id */
    public HttpBlobReplicator(Map<String, URI> peers, Duration timeout) {
        this.peers = Map.copyOf(peers);
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Void> push(String peerId, String digest, byte[] bytes) {
        URI base = peers.get(peerId);
        if (base == null) {
            return CompletableFuture.failedFuture(new BlobException.Unavailable(peerId, "unknown peer"));
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/blob/" + digest)).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
            if (err != null) {
                throw new BlobException.Unavailable(peerId, err.toString());
            }
            if (resp.statusCode() != 204) {
                throw new BlobException("peer " + peerId + " refused blob " + digest + ": " + resp.statusCode() + " " + resp.body());
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<byte[]> fetch(String peerId, String digest) {
        URI base = peers.get(peerId);
        if (base == null) {
            return CompletableFuture.failedFuture(new BlobException.Unavailable(peerId, "unknown peer"));
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/blob/" + digest)).timeout(timeout).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).handle((resp, err) -> {
            if (err != null) {
                throw new BlobException.Unavailable(peerId, err.toString());
            }
            if (resp.statusCode() == 404) {
                throw new BlobException.NotFound(digest, "peer " + peerId);
            }
            if (resp.statusCode() != 200) {
                throw new BlobException("peer " + peerId + " failed to serve blob " + digest + ": " + resp.statusCode());
            }
            String actual = Sha256.hex(resp.body());
            if (!actual.equals(digest)) {
                throw new BlobException.DigestMismatch(digest, actual);
            }
            return resp.body();
        });
    }
}
