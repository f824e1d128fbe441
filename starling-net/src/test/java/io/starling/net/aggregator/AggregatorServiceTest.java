package io.starling.net.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.starling.core.compress.Q8Codec;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.blob.PartialBlob;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.GetModelRequest;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.proto.WatchVersionsRequest;
import io.starling.net.transport.LocalNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorServiceTest {
    @TempDir
    Path dir;

    private final LocalNode client = LocalNode.of("client-1", "");
    private BlobStore store;
    private RecordingBackend backend;
    private Server server;
    private ManagedChannel channel;
    private AggregatorGrpc.AggregatorBlockingStub stub;
    private ModelRef good;

    @BeforeEach
    void start() throws IOException {
        store = BlobStore.open(dir);
        byte[] global = ParamVector.zeros(RecordingBackend.DIMENSION).toBytes();
        backend = new RecordingBackend(store.put(global), global.length);
        String name = InProcessServerBuilder.generateName();
        LocalNode self = LocalNode.of("aggregator", "in-process");
        server = InProcessServerBuilder.forName(name)
                .addService(new AggregatorService(backend, store, self))
                .addService(new BlobService(store, self))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = AggregatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        good = stored(ParamVector.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private ModelRef stored(ParamVector v) {
        byte[] bytes = v.toBytes();
        return ModelRef.newBuilder().setDigest(store.put(bytes).hex()).setSizeBytes(bytes.length)
                .setDimension(v.size()).setCodec("f32").build();
    }

    private SubmitUpdateRequest update(UnaryOperator<SubmitUpdateRequest.Builder> change) {
        return change.apply(SubmitUpdateRequest.newBuilder().setHeader(client.header())
                .setTaskId(RecordingBackend.TASK).setUpdateId("u-1").setBaseVersion(RecordingBackend.VERSION - 1)
                .setModel(good).setNumSamples(100).setTrainLoss(0.5)).build();
    }

    private void assertRejected(SubmitUpdateRequest request, Status.Code code, String because) {
        assertThatThrownBy(() -> stub.submitUpdate(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(because);
        });
        assertThat(backend.updates).isEmpty();
    }

    @Test
    void aValidUpdateReachesTheBackendDecodedAndChecked() {
        var response = stub.submitUpdate(update(b -> b));
        assertThat(response.getDuplicate()).isFalse();
        assertThat(response.getCurrentVersion()).isEqualTo(RecordingBackend.VERSION);
        assertThat(backend.updates).singleElement().satisfies(u -> {
            assertThat(u.sender().value()).isEqualTo("client-1");
            assertThat(u.model().contentEquals(ParamVector.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).isTrue();
            assertThat(u.samples()).isEqualTo(100);
        });
    }

    @Test
    void aResentUpdateIsAcknowledgedAsADuplicateAndNotCountedTwice() {
        stub.submitUpdate(update(b -> b));
        assertThat(stub.submitUpdate(update(b -> b)).getDuplicate()).isTrue();
        assertThat(backend.updates).hasSize(1);
    }

    @Test
    void anUpdateEncodedWithTheTasksCodecIsDecoded() {
        ParamVector v = ParamVector.of(1, -1, 0.5f, 0, 0, 0, 0, 0, 0, 2);
        byte[] bytes = new Q8Codec().encode(v);
        ModelRef ref = ModelRef.newBuilder().setDigest(store.put(bytes).hex()).setSizeBytes(bytes.length)
                .setDimension(10).setCodec("q8").build();
        stub.submitUpdate(update(b -> b.setModel(ref)));
        assertThat(backend.updates.get(0).model().distance(v)).isLessThan(0.05);
    }

    @Test
    void anUnknownTaskIsNotFoundAndTheServedTasksAreNamed() {
        assertRejected(update(b -> b.setTaskId("cifar")), Status.Code.NOT_FOUND, "unknown task 'cifar'; this node serves [mnist]");
    }

    @Test
    void aModelOfTheWrongDimensionIsInvalid() {
        ModelRef eleven = stored(ParamVector.zeros(11));
        assertRejected(update(b -> b.setModel(eleven)), Status.Code.INVALID_ARGUMENT, "has 10 parameters");
    }

    @Test
    void aBlobThatDecodesToFewerFloatsThanDeclaredIsInvalid() {
        ModelRef lying = stored(ParamVector.zeros(11)).toBuilder().setDimension(10).build();
        assertRejected(update(b -> b.setModel(lying)), Status.Code.INVALID_ARGUMENT, "must be 40 bytes");
    }

    @Test
    void nanOrInfiniteWeightsAreInvalidAndNameTheParameter() {
        ParamVector nan = ParamVector.zeros(10);
        nan.set(3, Float.NaN);
        assertRejected(update(b -> b.setModel(stored(nan))), Status.Code.INVALID_ARGUMENT, "parameter 3 is NaN");
        ParamVector inf = ParamVector.zeros(10);
        inf.set(7, Float.NEGATIVE_INFINITY);
        assertRejected(update(b -> b.setModel(stored(inf))), Status.Code.INVALID_ARGUMENT, "parameter 7 is -Infinity");
    }

    @Test
    void anUpdateTooFarBehindIsOutOfRangeAndSaysTheLimit() {
        assertRejected(update(b -> b.setBaseVersion(RecordingBackend.VERSION - 6)), Status.Code.OUT_OF_RANGE,
                "6 versions behind the current 20; task 'mnist' accepts at most 5");
    }

    @Test
    void anUpdateFromTheFutureIsOutOfRange() {
        assertRejected(update(b -> b.setBaseVersion(RecordingBackend.VERSION + 1)), Status.Code.OUT_OF_RANGE,
                "ahead of the current version");
    }

    @Test
    void aPartlyUploadedBlobIsRefusedAsNotReady() {
        byte[] bytes = ParamVector.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 9).toBytes();
        BlobDigest digest = BlobDigest.of(bytes);
        try (PartialBlob p = store.openPartial(digest, bytes.length)) {
            p.append(ByteBuffer.wrap(bytes, 0, 16));
        }
        ModelRef partial = ModelRef.newBuilder().setDigest(digest.hex()).setSizeBytes(bytes.length).setDimension(10).build();
        assertRejected(update(b -> b.setModel(partial)), Status.Code.FAILED_PRECONDITION,
                "only partly uploaded (16 of 40 bytes); the partial blob is not accepted");
    }

    @Test
    void aBlobNeverUploadedIsRefusedAsNotReady() {
        ModelRef missing = good.toBuilder().setDigest("ab".repeat(32)).build();
        assertRejected(update(b -> b.setModel(missing)), Status.Code.FAILED_PRECONDITION, "upload it with Blob.Put first");
    }

    @Test
    void badScalarFieldsAreInvalidAndNamed() {
        assertRejected(update(b -> b.setNumSamples(Double.NaN)), Status.Code.INVALID_ARGUMENT, "num_samples");
        assertRejected(update(b -> b.setNumSamples(0)), Status.Code.INVALID_ARGUMENT, "num_samples");
        assertRejected(update(b -> b.setTrainLoss(-1)), Status.Code.INVALID_ARGUMENT, "train_loss");
        assertRejected(update(b -> b.setUpdateId("")), Status.Code.INVALID_ARGUMENT, "update_id");
        assertRejected(update(b -> b.setUpdateId("x y")), Status.Code.INVALID_ARGUMENT, "update_id may hold only");
        assertRejected(update(b -> b.setHeader(client.header().toBuilder().setSenderId(""))),
                Status.Code.INVALID_ARGUMENT, "sender_id is required");
        assertRejected(update(b -> b.setModel(good.toBuilder().setCodec("zstd"))), Status.Code.INVALID_ARGUMENT,
                "codec 'zstd' is not accepted");
        assertRejected(update(b -> b.setModel(good.toBuilder().setSizeBytes(41))), Status.Code.INVALID_ARGUMENT,
                "size_bytes is 41");
    }

    @Test
    void aGossipAgeMarksAHandBackAndItsAbsenceATrainedUpdate() {
        stub.submitUpdate(update(b -> b.setGossipAge(42)));
        stub.submitUpdate(update(b -> b.setUpdateId("u-2")));

        assertThat(backend.updates).hasSize(2);
        assertThat(backend.updates.get(0).gossipAge()).hasValue(42);
        assertThat(backend.updates.get(1).gossipAge()).isEmpty();
    }

    @Test
    void aGossipAgeThatIsNegativeNotFiniteOrTooLargeIsInvalidAndNamed() {
        assertRejected(update(b -> b.setGossipAge(-1)), Status.Code.INVALID_ARGUMENT, "gossip_age");
        assertRejected(update(b -> b.setGossipAge(Double.NaN)), Status.Code.INVALID_ARGUMENT, "gossip_age");
        assertRejected(update(b -> b.setGossipAge(1e13)), Status.Code.INVALID_ARGUMENT, "gossip_age");
    }

    @Test
    void getModelReturnsTheTaskSpecAndCurrentModel() {
        var r = stub.getModel(GetModelRequest.newBuilder().setHeader(client.header()).setTaskId("mnist").build());
        assertThat(r.getVersion()).isEqualTo(RecordingBackend.VERSION);
        assertThat(r.getTask().getDimension()).isEqualTo(10);
        assertThat(r.getTask().getUpdateCodec()).isEqualTo("q8");
        assertThat(store.contains(BlobDigest.parse(r.getModel().getDigest()))).isTrue();
    }

    @Test
    void watchersReceiveAnnouncementsUntilTheyCancel() {
        Iterator<Announcement> stream = AggregatorGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .watchVersions(WatchVersionsRequest.newBuilder().setHeader(client.header()).setTaskId("mnist")
                        .setAfterVersion(-1).build());
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> backend.watchers.size() == 1);
        backend.watchers.get(0).accept(Announcement.newBuilder().setTaskId("mnist")
                .setModel(io.starling.net.proto.NewModel.newBuilder().setVersion(21)).build());
        Announcement a = stream.next();
        assertThat(a.getModel().getVersion()).isEqualTo(21);
        assertThat(a.getHeader().getSenderId()).isEqualTo("aggregator");
        channel.shutdownNow();
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> backend.watchers.isEmpty());
    }
}
