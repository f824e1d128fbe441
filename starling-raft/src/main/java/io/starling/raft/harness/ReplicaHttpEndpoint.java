package io.starling.raft.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.NotLeaderException;
import io.starling.raft.aggregator.ReplicatedAggregator;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import io.starling.raft.blob.BlobException;
import io.starling.raft.blob.BlobStore;
import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.state.StateMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A minimal HTTP face for one replica, used by the multi-process tests and the failover benchmark
 * until the node wires the gRPC {@code Aggregator} and {@code Blob} services to
 * {@link ReplicatedAggregator} and {@link io.starling.raft.blob.BlobReplicator}.
 *
 * <ul>
 *   <li>{@code POST /submit?waitMs=N}: body {@link UpdateWire}; 200 with the acknowledged version,
 *       421 with the leader hint when not leader, 422 when rejected, 504 when not acknowledged in time.
 *   <li>{@code GET /status}: JSON with id, leader, isLeader, latest version and proposer, and
 *       whether this replica holds the latest checkpoint's verified blob.
 *   <li>{@code GET /chain}: the committed chain ({@link StateMessages#encodeChain}).
 *   <li>{@code PUT /blob/<digest>}, {@code GET /blob/<digest>}: the replica's verified blob store.
 * </ul>
 * Bodies are size-checked against the blob limit before they are read.
 */
public final class ReplicaHttpEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_WAIT_MS = 30_000;

    private final ReplicatedAggregator replica;
    private final BlobStore blobs;
    private final long maxBodyBytes;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "replica-http");
        t.setDaemon(true);
        return t;
    });

    public ReplicaHttpEndpoint(ReplicatedAggregator replica, BlobStore blobs, String host, int port, long maxBodyBytes)
            throws IOException {
        this.replica = replica;
        this.blobs = blobs;
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(executor);
        server.createContext("/submit", this::submit);
        server.createContext("/status", this::status);
        server.createContext("/chain", this::chain);
        server.createContext("/blob/", this::blob);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void submit(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "POST only");
                return;
            }
            ClientUpdate update;
            try {
                update = UpdateWire.decode(readBody(ex));
            } catch (IllegalArgumentException e) {
                reply(ex, 400, "bad update: " + e.getMessage());
                return;
            } catch (BlobException.TooLarge e) {
                reply(ex, 413, e.getMessage());
                return;
            }
            long waitMs = Math.min(MAX_WAIT_MS, queryLong(ex, "waitMs", 5_000));
            try {
                UpdateAck ack = replica.submit(update).get(waitMs, TimeUnit.MILLISECONDS);
                reply(ex, 200, Long.toString(ack.version()));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NotLeaderException nle) {
                    reply(ex, 421, nle.leaderHint().orElse(""));
                } else if (e.getCause() instanceof UpdateRejectedException r) {
                    reply(ex, 422, r.getMessage());
                } else {
                    reply(ex, 500, String.valueOf(e.getCause()));
                }
            } catch (TimeoutException e) {
                reply(ex, 504, "not acknowledged within " + waitMs + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 503, "interrupted");
            }
        }
    }

    private void status(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", replica.replicaId());
            s.put("leader", replica.leaderHint().orElse(""));
            s.put("isLeader", replica.isLeader());
            CheckpointCommitted latest = replica.latest().orElse(null);
            s.put("latestVersion", latest == null ? -1 : latest.version());
            s.put("proposer", latest == null ? "" : latest.proposer());
            s.put("holdsLatestBlob", replica.holdsLatestBlob());
            byte[] body = JSON.writeValueAsBytes(s);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void chain(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = StateMessages.encodeChain(replica.chain());
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void blob(HttpExchange ex) throws IOException {
        try (ex) {
            String digest = ex.getRequestURI().getPath().substring("/blob/".length());
            try {
                switch (ex.getRequestMethod()) {
                    case "PUT" -> {
                        blobs.put(digest, readBody(ex));
                        ex.sendResponseHeaders(204, -1);
                    }
                    case "GET" -> {
                        var bytes = blobs.get(digest);
                        if (bytes.isEmpty()) {
                            reply(ex, 404, "no blob " + digest);
                            return;
                        }
                        ex.sendResponseHeaders(200, bytes.get().length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(bytes.get());
                        }
                    }
                    default -> reply(ex, 405, "PUT or GET only");
                }
            } catch (BlobException.DigestMismatch | IllegalArgumentException e) {
                reply(ex, 400, e.getMessage());
            } catch (BlobException.TooLarge e) {
                reply(ex, 413, e.getMessage());
            }
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = declared == null ? -1 : Long.parseLong(declared);
        if (length < 0 || length > maxBodyBytes) {
            throw new BlobException.TooLarge(length, maxBodyBytes);
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IllegalArgumentException("body ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        }
    }

    private static long queryLong(HttpExchange ex, String name, long fallback) {
        String q = ex.getRequestURI().getQuery();
        if (q == null) {
            return fallback;
        }
        for (String part : q.split("&")) {
            if (part.startsWith(name + "=")) {
                try {
                    return Long.parseLong(part.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    private static void reply(HttpExchange ex, int code, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
