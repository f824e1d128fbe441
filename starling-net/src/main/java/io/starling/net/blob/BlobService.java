package io.starling.net.blob;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.starling.net.proto.BlobChunk;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.FetchRequest;
import io.starling.net.proto.PutHeader;
import io.starling.net.proto.PutRequest;
import io.starling.net.proto.PutResponse;
import io.starling.net.proto.StatRequest;
import io.starling.net.proto.StatResponse;
import io.starling.net.transport.GrpcErrors;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Blob gRPC service over a {@link BlobStore}: decode, check, delegate, map errors.
 *
 * <p>Fetch streams under gRPC flow control (a chunk is produced only when the transport is ready,
 * so a slow reader never makes the server buffer a whole model) and hashes what it sends; if the
 * file turns out corrupt the call ends with DATA_LOSS and the blob is quarantined. Put writes
 * into a {@link PartialBlob}; a broken stream leaves the partial file for a resume, and only a
 * complete upload whose digest matches is published.
 */
public final class BlobService extends BlobGrpc.BlobImplBase {
    /** Largest data chunk sent or accepted: 1 MiB. */
    public static final int CHUNK_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(BlobService.class);

    private final BlobStore store;
    private final LocalNode self;

    public BlobService(BlobStore store, LocalNode self) {
        this.store = store;
        this.self = self;
    }

    @Override
    public void stat(StatRequest request, StreamObserver<StatResponse> out) {
        try {
            RequestChecks.sender(request.getHeader());
            BlobDigest digest = RequestChecks.digest("digest", request.getDigest());
            BlobState state = store.state(digest);
            out.onNext(StatResponse.newBuilder()
                    .setHeader(self.header())
                    .setState(switch (state.status()) {
                        case ABSENT -> StatResponse.State.ABSENT;
                        case PARTIAL -> StatResponse.State.PARTIAL;
                        case COMPLETE -> StatResponse.State.COMPLETE;
                    })
                    .setCommittedBytes(state.committedBytes())
                    .setSizeBytes(state.sizeBytes())
                    .build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void fetch(FetchRequest request, StreamObserver<BlobChunk> responseObserver) {
        ServerCallStreamObserver<BlobChunk> out = (ServerCallStreamObserver<BlobChunk>) responseObserver;
        FileChannel file;
        long size;
        MessageDigest sha;
        BlobDigest digest;
        try {
            RequestChecks.sender(request.getHeader());
            digest = RequestChecks.digest("digest", request.getDigest());
            file = store.openForRead(digest);
            try {
                size = file.size();
                RequestChecks.inRange("offset", request.getOffset(), 0, size);
                sha = BlobStore.hashPrefix(file, request.getOffset());
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        } catch (IOException e) {
            out.onError(GrpcErrors.toStatus(new BlobException(BlobException.Kind.IO, e.getMessage(), e)));
            return;
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        new FetchStream(out, file, digest, size, request.getOffset(), sha).start();
    }

    /** One Fetch call: produces chunks whenever the transport is ready. */
    private final class FetchStream {
        private final ServerCallStreamObserver<BlobChunk> out;
        private final FileChannel file;
        private final BlobDigest digest;
        private final long size;
        private final MessageDigest sha;
        private long position;
        private boolean done;

        FetchStream(ServerCallStreamObserver<BlobChunk> out, FileChannel file, BlobDigest digest, long size,
                    long offset, MessageDigest sha) {
            this.out = out;
            this.file = file;
            this.digest = digest;
            this.size = size;
            this.position = offset;
            this.sha = sha;
        }

        void start() {
            out.setOnCancelHandler(this::finish);
            out.setOnReadyHandler(this::pump);
        }

        private void pump() {
            if (done) {
                return;
            }
            try {
                while (out.isReady() && position < size) {
                    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, size - position)];
                    ByteBuffer buf = ByteBuffer.wrap(chunk);
                    while (buf.hasRemaining()) {
                        if (file.read(buf, position + buf.position()) < 0) {
                            throw new IOException("blob file ended before " + size + " bytes");
                        }
                    }
                    sha.update(chunk);
                    // The array is never touched again, so the message may share it.
                    out.onNext(BlobChunk.newBuilder()
                            .setOffset(position)
                            .setSizeBytes(size)
                            .setData(UnsafeByteOperations.unsafeWrap(chunk))
                            .build());
                    position += chunk.length;
                }
                if (position >= size) {
                    finish();
                    if (!BlobDigest.fromRaw(sha.digest()).equals(digest)) {
                        out.onError(GrpcErrors.toStatus(store.quarantine(digest)));
                    } else {
                        out.onCompleted();
                    }
                }
            } catch (IOException e) {
                finish();
                out.onError(GrpcErrors.toStatus(new BlobException(BlobException.Kind.IO,
                        "cannot read blob " + digest.shortHex() + ": " + e.getMessage(), e)));
            }
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            try {
                file.close();
            } catch (IOException e) {
                log.warn("cannot close blob {} after a fetch: {}", digest.shortHex(), e.toString());
            }
        }
    }

    @Override
    public StreamObserver<PutRequest> put(StreamObserver<PutResponse> responseObserver) {
        return new PutStream(responseObserver);
    }

    /** One Put call: header first, then data appended in order; committed at half-close. */
    private final class PutStream implements StreamObserver<PutRequest> {
        private final StreamObserver<PutResponse> out;
        private PartialBlob upload;
        private BlobDigest digest;
        private boolean ended;
        private boolean alreadyPresent;

        PutStream(StreamObserver<PutResponse> out) {
            this.out = out;
        }

        @Override
        public void onNext(PutRequest request) {
            if (ended || alreadyPresent) {
                return;
            }
            try {
                if (digest == null) {
                    begin(request);
                } else if (request.hasHeader()) {
                    throw RejectedRequestException.malformed("only the first Put message may carry a header");
                } else {
                    ByteString data = request.getData();
                    if (data.size() > CHUNK_BYTES) {
                        throw RejectedRequestException.malformed("a Put chunk holds at most " + CHUNK_BYTES
                                + " bytes, got " + data.size());
                    }
                    upload.append(data);
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void begin(PutRequest request) {
            if (!request.hasHeader()) {
                throw RejectedRequestException.malformed("the first Put message must carry a PutHeader");
            }
            PutHeader header = request.getHeader();
            RequestChecks.sender(header.getHeader());
            BlobDigest d = RequestChecks.digest("header.digest", header.getDigest());
            RequestChecks.inRange("header.size_bytes", header.getSizeBytes(), 1, store.maxBlobBytes());
            RequestChecks.inRange("header.offset", header.getOffset(), 0, header.getSizeBytes());
            digest = d;
            if (store.size(d).filter(s -> s == header.getSizeBytes()).isPresent()) {
                alreadyPresent = true;
                out.onNext(response(header.getSizeBytes(), true));
                out.onCompleted();
                return;
            }
            upload = store.openPartial(d, header.getSizeBytes());
            upload.resumeAt(header.getOffset());
        }

        @Override
        public void onError(Throwable t) {
            if (upload != null) {
                log.info("upload of blob {} broke at {} of {} bytes ({}); kept for resume",
                        digest.shortHex(), upload.committedBytes(), upload.sizeBytes(), t.toString());
            }
            release();
        }

        @Override
        public void onCompleted() {
            if (ended || alreadyPresent) {
                return;
            }
            try {
                if (upload == null) {
                    throw RejectedRequestException.malformed("a Put must send a PutHeader");
                }
                if (!upload.isFull()) {
                    throw new RejectedRequestException(RejectedRequestException.Reason.BLOB_NOT_READY,
                            "upload of blob " + digest.shortHex() + " ended after " + upload.committedBytes()
                                    + " of " + upload.sizeBytes() + " bytes; resume it at that offset");
                }
                long size = upload.sizeBytes();
                upload.commit();
                ended = true;
                out.onNext(response(size, false));
                out.onCompleted();
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                release();
            }
        }

        private PutResponse response(long committedBytes, boolean present) {
            return PutResponse.newBuilder()
                    .setHeader(self.header())
                    .setDigest(digest.hex())
                    .setCommittedBytes(committedBytes)
                    .setAlreadyPresent(present)
                    .build();
        }

        private void fail(RuntimeException e) {
            if (ended) {
                return;
            }
            ended = true;
            release();
            out.onError(GrpcErrors.toStatus(e));
        }

        private void release() {
            if (upload != null) {
                upload.close();
                upload = null;
            }
        }
    }
}
