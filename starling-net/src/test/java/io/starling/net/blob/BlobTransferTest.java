package io.starling.net.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.FetchRequest;
import io.starling.net.proto.PutHeader;
import io.starling.net.proto.PutRequest;
import io.starling.net.proto.PutResponse;
import io.starling.net.proto.StatResponse;
import io.starling.net.transport.Backoff;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.TransferFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobTransferTest {
    @TempDir
    Path dir;

    private final LocalNode client = LocalNode.of("client-1", "");
    private BlobStore serverStore;
    private BlobStore clientStore;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        serverStore = BlobStore.open(dir.resolve("server"));
        clientStore = BlobStore.open(dir.resolve("client"));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(new BlobService(serverStore, LocalNode.of("server-1", "in-process")))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private BlobClient blobClient() {
        return new BlobClient(channel, client, CallTimeouts.defaults(), new Backoff(10, 50, 2, 4),
                BlobService.CHUNK_BYTES, 0, 1);
    }

    @Test
    void anUploadOfSeveralChunksArrivesVerified() {
        byte[] bytes = randomBytes(3 * BlobService.CHUNK_BYTES + 12_345, 1);
        BlobClient.UploadResult result = blobClient().upload(bytes);
        assertThat(result.bytesSent()).isEqualTo(bytes.length);
        assertThat(result.resumedFromOffset()).isZero();
        assertThat(serverStore.read(BlobDigest.of(bytes))).isEqualTo(bytes);
    }

    @Test
    void uploadingABlobThePeerHoldsSendsNoData() {
        byte[] bytes = randomBytes(5000, 2);
        serverStore.put(bytes);
        BlobClient.UploadResult result = blobClient().upload(bytes);
        assertThat(result.alreadyPresent()).isTrue();
        assertThat(result.bytesSent()).isZero();
    }

    @Test
    void anUploadContinuesThePeersPartialCopy() {
        byte[] bytes = randomBytes(2 * BlobService.CHUNK_BYTES + 777, 3);
        int held = BlobService.CHUNK_BYTES + 100;
        try (PartialBlob p = serverStore.openPartial(BlobDigest.of(bytes), bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, held));
        }
        BlobClient.UploadResult result = blobClient().upload(bytes);
        assertThat(result.resumedFromOffset()).isEqualTo(held);
        assertThat(result.bytesSent()).isEqualTo(bytes.length - held);
        assertThat(serverStore.read(BlobDigest.of(bytes))).isEqualTo(bytes);
    }

    @Test
    void aBrokenUploadLeavesAPartialCopyThatIsNeverServed() throws Exception {
        byte[] bytes = randomBytes(3 * BlobService.CHUNK_BYTES, 4);
        BlobDigest digest = BlobDigest.of(bytes);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<PutRequest> put = BlobGrpc.newStub(channel).put(new StreamObserver<>() {
            @Override
            public void onNext(PutResponse value) {
                ended.complete(null);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        put.onNext(PutRequest.newBuilder().setHeader(PutHeader.newBuilder().setHeader(client.header())
                .setDigest(digest.hex()).setSizeBytes(bytes.length)).build());
        put.onNext(PutRequest.newBuilder().setData(ByteString.copyFrom(bytes, 0, BlobService.CHUNK_BYTES)).build());
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .until(() -> blobClient().stat(digest).getCommittedBytes() == BlobService.CHUNK_BYTES);
        put.onError(Status.CANCELLED.withDescription("client crashed").asRuntimeException());
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .until(() -> blobClient().stat(digest).getState() == StatResponse.State.PARTIAL);

        assertThatThrownBy(() -> BlobGrpc.newBlockingStub(channel)
                .fetch(FetchRequest.newBuilder().setHeader(client.header()).setDigest(digest.hex()).build())
                .hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(blobClient().upload(bytes).resumedFromOffset()).isEqualTo(BlobService.CHUNK_BYTES);
    }

    @Test
    void anUploadWhoseBytesDoNotMatchItsDigestIsRejectedAndNotStored() {
        byte[] bytes = randomBytes(1000, 5);
        BlobDigest claimed = BlobDigest.of(randomBytes(1000, 6));
        var put = BlobGrpc.newStub(channel);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<PutRequest> requests = put.put(new StreamObserver<>() {
            @Override
            public void onNext(PutResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        requests.onNext(PutRequest.newBuilder().setHeader(PutHeader.newBuilder().setHeader(client.header())
                .setDigest(claimed.hex()).setSizeBytes(bytes.length)).build());
        requests.onNext(PutRequest.newBuilder().setData(ByteString.copyFrom(bytes)).build());
        requests.onCompleted();
        Throwable error = ended.join();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Status.fromThrowable(error).getDescription()).contains("not the declared");
        assertThat(serverStore.state(claimed).status()).isEqualTo(BlobState.Status.ABSENT);
    }

    @Test
    void aDownloadLandsVerifiedInTheLocalStoreAndContinuesALocalPartialCopy() {
        byte[] bytes = randomBytes(2 * BlobService.CHUNK_BYTES + 5, 7);
        BlobDigest digest = serverStore.put(bytes);
        try (PartialBlob p = clientStore.openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, 1000));
        }
        long received = blobClient().downloadInto(clientStore, digest);
        assertThat(received).isEqualTo(bytes.length - 1000);
        assertThat(clientStore.read(digest)).isEqualTo(bytes);
    }

    @Test
    void fetchingABlobCorruptedOnDiskEndsWithDataLossAndQuarantinesIt() throws IOException {
        byte[] bytes = randomBytes(BlobService.CHUNK_BYTES + 10, 8);
        BlobDigest digest = serverStore.put(bytes);
        byte[] corrupted = bytes.clone();
        corrupted[5] ^= 0x40;
        Files.write(serverStore.blobPath(digest), corrupted);
        assertThatThrownBy(() -> BlobGrpc.newBlockingStub(channel)
                .fetch(FetchRequest.newBuilder().setHeader(client.header()).setDigest(digest.hex()).build())
                .forEachRemaining(c -> { }))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS));
        assertThat(serverStore.contains(digest)).isFalse();
    }

    @Test
    void downloadingABlobThePeerLacksFailsWithNotFound() {
        BlobDigest digest = BlobDigest.of(randomBytes(10, 9));
        assertThatThrownBy(() -> blobClient().downloadInto(clientStore, digest))
                .isInstanceOfSatisfying(TransferFailedException.class,
                        e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void anOversizeChunkIsRejected() {
        byte[] bytes = randomBytes(BlobService.CHUNK_BYTES + 1, 10);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<PutRequest> requests = BlobGrpc.newStub(channel).put(new StreamObserver<>() {
            @Override
            public void onNext(PutResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        requests.onNext(PutRequest.newBuilder().setHeader(PutHeader.newBuilder().setHeader(client.header())
                .setDigest(BlobDigest.of(bytes).hex()).setSizeBytes(bytes.length)).build());
        requests.onNext(PutRequest.newBuilder().setData(ByteString.copyFrom(bytes)).build());
        requests.onCompleted();
        assertThat(Status.fromThrowable(ended.join()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}
