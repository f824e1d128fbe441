package io.starling.net.blob;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.starling.net.proto.BlobChunk;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.FetchRequest;
import io.starling.net.proto.PutHeader;
import io.starling.net.proto.PutRequest;
import io.starling.net.proto.PutResponse;
import io.starling.net.proto.StatRequest;
import io.starling.net.proto.StatResponse;
import io.starling.net.transport.Backoff;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.TransferFailedException;
import java.util.Iterator;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves blobs to and from one peer's Blob service, resuming after failures.
 *
 * <p>An upload first asks the peer how much it holds ({@code Stat}) and continues from there; a
 * download continues the local partial copy. Failures that retrying can fix (UNAVAILABLE,
 * DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, DATA_LOSS) are retried with jittered exponential
 * {@link Backoff}; the rest end in {@link TransferFailedException}. Uploads respect gRPC flow
 * control and an optional bandwidth cap. Each call has a deadline from {@link CallTimeouts}.
 */
public final class BlobClient {
    private static final Logger log = LoggerFactory.getLogger(BlobClient.class);
    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.ABORTED, Status.Code.OUT_OF_RANGE, Status.Code.DATA_LOSS, Status.Code.RESOURCE_EXHAUSTED);

    private final BlobGrpc.BlobBlockingStub blocking;
    private final BlobGrpc.BlobStub async;
    private final LocalNode self;
    private final CallTimeouts timeouts;
    private final Backoff backoff;
    private final int chunkBytes;
    private final long maxBytesPerSecond;
    private final SplittableRandom jitter;

    /**
     * @param chunkBytes data bytes per message, 1 .. {@link BlobService#CHUNK_BYTES}
     * @param maxBytesPerSecond upload bandwidth cap, bytes/s; 0 for none
     * @param jitterSeed seed of the backoff jitter
     */
    public BlobClient(Channel channel, LocalNode self, CallTimeouts timeouts, Backoff backoff, int chunkBytes,
                      long maxBytesPerSecond, long jitterSeed) {
        if (chunkBytes < 1 || chunkBytes > BlobService.CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes must be in 1.." + BlobService.CHUNK_BYTES + ", got " + chunkBytes);
        }
        if (maxBytesPerSecond < 0) {
            throw new IllegalArgumentException("maxBytesPerSecond must be >= 0, got " + maxBytesPerSecond);
        }
        this.blocking = BlobGrpc.newBlockingStub(channel);
        this.async = BlobGrpc.newStub(channel);
        this.self = self;
        this.timeouts = timeouts;
        this.backoff = backoff;
        // Under a bandwidth cap, send about ten chunks a second so the cap holds smoothly.
        this.chunkBytes = maxBytesPerSecond == 0 ? chunkBytes
                : (int) Math.min(chunkBytes, Math.max(4096, maxBytesPerSecond / 10));
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.jitter = new SplittableRandom(jitterSeed);
    }

    /** A client with 1 MiB chunks, no bandwidth cap and default timeouts and backoff. */
    public static BlobClient of(Channel channel, LocalNode self) {
        return new BlobClient(channel, self, CallTimeouts.defaults(), Backoff.defaults(), BlobService.CHUNK_BYTES, 0,
                self.id().hashCode());
    }

    /** What an upload did. */
    public record UploadResult(BlobDigest digest, long sizeBytes, long resumedFromOffset, long bytesSent,
                               boolean alreadyPresent) {
    }

    /** How much of {@code digest} the peer holds. */
    public StatResponse stat(BlobDigest digest) {
        return blocking.withDeadlineAfter(timeouts.unaryMs(), TimeUnit.MILLISECONDS)
                .stat(StatRequest.newBuilder().setHeader(self.header()).setDigest(digest.hex()).build());
    }

    /**
     * Makes the peer hold {@code bytes} as a blob, continuing any partial copy it has. The array
     * must not change until this returns.
     *
     * @throws TransferFailedException when retries run out or the peer refuses the blob
     */
    public UploadResult upload(byte[] bytes) {
        BlobDigest digest = BlobDigest.of(bytes);
        long bytesSent = 0;
        for (int attempt = 0; ; attempt++) {
            try {
                StatResponse state = stat(digest);
                if (state.getState() == StatResponse.State.COMPLETE && state.getSizeBytes() == bytes.length) {
                    return new UploadResult(digest, bytes.length, bytes.length, bytesSent, true);
                }
                long offset = state.getState() == StatResponse.State.PARTIAL && state.getSizeBytes() == bytes.length
                        ? state.getCommittedBytes() : 0;
                PutOutcome outcome = putFrom(digest, bytes, offset);
                bytesSent += outcome.bytesSent();
                if (outcome.error() != null) {
                    throw outcome.error();
                }
                return new UploadResult(digest, bytes.length, offset, bytesSent, outcome.response().getAlreadyPresent());
            } catch (StatusRuntimeException e) {
                retryOrFail("upload of blob " + digest.shortHex(), attempt, e);
            }
        }
    }

    /**
     * Makes {@code local} hold the peer's blob {@code digest}, continuing a partial local copy.
     * Returns the number of bytes received.
     *
     * @throws TransferFailedException when the peer lacks the blob, retries run out, or the bytes
     *     never match the digest
     */
    public long downloadInto(BlobStore local, BlobDigest digest) {
        long received = 0;
        for (int attempt = 0; ; attempt++) {
            if (local.contains(digest)) {
                return received;
            }
            try {
                StatResponse state = stat(digest);
                if (state.getState() != StatResponse.State.COMPLETE) {
                    throw new TransferFailedException("peer holds no complete blob " + digest.shortHex()
                            + " (state " + state.getState() + ")", Status.Code.NOT_FOUND, null);
                }
                received += fetchInto(local, digest, state.getSizeBytes());
                return received;
            } catch (StatusRuntimeException e) {
                retryOrFail("download of blob " + digest.shortHex(), attempt, e);
            } catch (BlobException e) {
                if (e.kind() == BlobException.Kind.DIGEST_MISMATCH || e.kind() == BlobException.Kind.UPLOAD_IN_PROGRESS) {
                    retryOrFail("download of blob " + digest.shortHex(), attempt,
                            Status.DATA_LOSS.withDescription(e.getMessage()).asRuntimeException());
                } else {
                    throw e;
                }
            }
        }
    }

    private long fetchInto(BlobStore local, BlobDigest digest, long size) {
        try (PartialBlob partial = local.openPartial(digest, size)) {
            long offset = partial.committedBytes();
            long received = 0;
            if (offset < size) {
                Iterator<BlobChunk> chunks = blocking
                        .withDeadlineAfter(timeouts.transferMs(size - offset), TimeUnit.MILLISECONDS)
                        .fetch(FetchRequest.newBuilder().setHeader(self.header()).setDigest(digest.hex())
                                .setOffset(offset).build());
                while (chunks.hasNext()) {
                    BlobChunk chunk = chunks.next();
                    if (chunk.getOffset() != partial.committedBytes() || chunk.getSizeBytes() != size
                            || chunk.getData().size() > BlobService.CHUNK_BYTES) {
                        throw Status.DATA_LOSS.withDescription("peer sent chunk at offset " + chunk.getOffset()
                                + " of a " + chunk.getSizeBytes() + "-byte blob; expected offset "
                                + partial.committedBytes() + " of " + size).asRuntimeException();
                    }
                    partial.append(chunk.getData());
                    received += chunk.getData().size();
                }
            }
            partial.commit();
            return received;
        }
    }

    private record PutOutcome(PutResponse response, long bytesSent, StatusRuntimeException error) {
    }

    private PutOutcome putFrom(BlobDigest digest, byte[] bytes, long offset) {
        PutCall call = new PutCall();
        long sent = 0;
        long startNs = System.nanoTime();
        async.withDeadlineAfter(timeouts.transferMs(bytes.length - offset), TimeUnit.MILLISECONDS).put(call);
        try {
            call.requests.onNext(PutRequest.newBuilder().setHeader(PutHeader.newBuilder()
                    .setHeader(self.header()).setDigest(digest.hex())
                    .setSizeBytes(bytes.length).setOffset(offset)).build());
            long pos = offset;
            while (pos < bytes.length) {
                if (!call.awaitReady()) {
                    break;
                }
                int n = (int) Math.min(chunkBytes, bytes.length - pos);
                // The caller hands over bytes it does not change during the upload, so chunks may share them.
                call.requests.onNext(PutRequest.newBuilder()
                        .setData(UnsafeByteOperations.unsafeWrap(bytes, (int) pos, n)).build());
                pos += n;
                sent += n;
                throttle(sent, startNs);
            }
            if (!call.result.isDone()) {
                call.requests.onCompleted();
            }
            return new PutOutcome(call.result.get(timeouts.transferMs(bytes.length), TimeUnit.MILLISECONDS), sent, null);
        } catch (ExecutionException e) {
            return new PutOutcome(null, sent, io.grpc.Status.fromThrowable(e.getCause()).asRuntimeException());
        } catch (TimeoutException e) {
            call.requests.cancel("no response to the upload in time", e);
            return new PutOutcome(null, sent, Status.DEADLINE_EXCEEDED
                    .withDescription("no response to the upload of " + digest.shortHex()).asRuntimeException());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.requests.cancel("interrupted", e);
            throw new TransferFailedException("upload of blob " + digest.shortHex() + " was interrupted",
                    Status.Code.CANCELLED, e);
        } catch (RuntimeException e) {
            call.requests.cancel("upload failed locally", e);
            throw e;
        }
    }

    private void throttle(long sentBytes, long startNs) {
        if (maxBytesPerSecond == 0) {
            return;
        }
        long dueNs = startNs + sentBytes * 1_000_000_000L / maxBytesPerSecond;
        long waitNs = dueNs - System.nanoTime();
        if (waitNs > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransferFailedException("upload was interrupted", Status.Code.CANCELLED, e);
            }
        }
    }

    private void retryOrFail(String what, int attempt, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (!RETRYABLE.contains(code) || attempt + 1 >= backoff.maxAttempts()) {
            throw new TransferFailedException(what + " failed after " + (attempt + 1) + " attempt(s): " + code
                    + (e.getStatus().getDescription() == null ? "" : " - " + e.getStatus().getDescription()), code, e);
        }
        long waitMs;
        synchronized (jitter) {
            waitMs = backoff.delayMs(attempt, jitter);
        }
        log.info("{} failed ({}: {}); retrying in {} ms", what, code, e.getStatus().getDescription(), waitMs);
        try {
            Thread.sleep(waitMs);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new TransferFailedException(what + " was interrupted while backing off", Status.Code.CANCELLED, ie);
        }
    }

    /** The client side of one Put: waits for transport readiness, collects the response. */
    private static final class PutCall implements ClientResponseObserver<PutRequest, PutResponse> {
        private final Object ready = new Object();
        private final CompletableFuture<PutResponse> result = new CompletableFuture<>();
        private ClientCallStreamObserver<PutRequest> requests;
        private PutResponse response;

        @Override
        public void beforeStart(ClientCallStreamObserver<PutRequest> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::wake);
        }

        /** Blocks until the stream can take a message; false when the call already ended. */
        boolean awaitReady() throws InterruptedException {
            synchronized (ready) {
                while (!requests.isReady() && !result.isDone()) {
                    ready.wait(50);
                }
            }
            return !result.isDone();
        }

        @Override
        public void onNext(PutResponse value) {
            response = value;
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
            wake();
        }

        @Override
        public void onCompleted() {
            result.complete(response);
            wake();
        }

        private void wake() {
            synchronized (ready) {
                ready.notifyAll();
            }
        }
    }
}
