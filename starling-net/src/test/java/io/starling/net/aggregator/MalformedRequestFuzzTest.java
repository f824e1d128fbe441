package io.starling.net.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.blob.PartialBlob;
import io.starling.net.gossip.GossipService;
import io.starling.net.membership.MembershipService;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.BlobGrpc;
import io.starling.net.proto.GetModelRequest;
import io.starling.net.proto.GossipGrpc;
import io.starling.net.proto.Header;
import io.starling.net.proto.MembershipGrpc;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.PeerEntry;
import io.starling.net.proto.PushModelRequest;
import io.starling.net.proto.ShuffleRequest;
import io.starling.net.proto.StatRequest;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends a few thousand malformed requests to a real server on 127.0.0.1 and checks that each is
 * refused with a status that explains it, that nothing reaches the backend or the blob store, and
 * that the server still serves a valid request afterwards.
 */
class MalformedRequestFuzzTest {
    private static final long SEED = 20261123L;
    private static final int REQUESTS = 2000;

    @TempDir
    Path dir;

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static MethodDescriptor<byte[], byte[]> raw(String fullName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName).setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private static final List<MethodDescriptor<byte[], byte[]>> UNARY_METHODS = List.of(
            raw(AggregatorGrpc.getSubmitUpdateMethod().getFullMethodName()),
            raw(AggregatorGrpc.getGetModelMethod().getFullMethodName()),
            raw(GossipGrpc.getPushModelMethod().getFullMethodName()),
            raw(MembershipGrpc.getShuffleMethod().getFullMethodName()),
            raw(BlobGrpc.getStatMethod().getFullMethodName()));

    @Test
    void everyMalformedRequestIsRefusedWithAReasonAndLeavesTheNodeUnchanged() throws IOException {
        BlobStore store = BlobStore.open(dir.resolve("store"));
        byte[] global = ParamVector.zeros(RecordingBackend.DIMENSION).toBytes();
        RecordingBackend backend = new RecordingBackend(store.put(global), global.length);
        LocalNode self = LocalNode.of("aggregator", "127.0.0.1:1");
        LocalNode client = LocalNode.of("fuzzer", "127.0.0.1:2");
        Random random = new Random(SEED);

        ModelRef good = put(store, ParamVector.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        ParamVector nan = ParamVector.zeros(10);
        nan.set(random.nextInt(10), Float.NaN);
        ParamVector inf = ParamVector.zeros(10);
        inf.set(random.nextInt(10), Float.POSITIVE_INFINITY);
        ModelRef nanRef = put(store, nan);
        ModelRef infRef = put(store, inf);
        ModelRef wrongDim = put(store, ParamVector.zeros(12));
        byte[] partialBytes = ParamVector.of(9, 9, 9, 9, 9, 9, 9, 9, 9, 9).toBytes();
        try (PartialBlob p = store.openPartial(BlobDigest.of(partialBytes), partialBytes.length)) {
            p.append(ByteBuffer.wrap(partialBytes, 0, 20));
        }
        ModelRef partial = ModelRef.newBuilder().setDigest(BlobDigest.of(partialBytes).hex())
                .setSizeBytes(partialBytes.length).setDimension(10).build();
        List<String> storeBefore = listFiles(dir.resolve("store"));

        SubmitUpdateRequest validUpdate = SubmitUpdateRequest.newBuilder().setHeader(client.header())
                .setTaskId("mnist").setUpdateId("valid-1").setBaseVersion(RecordingBackend.VERSION)
                .setModel(good).setNumSamples(10).setTrainLoss(0.1).build();
        PushModelRequest validPush = PushModelRequest.newBuilder().setHeader(client.header()).setTaskId("mnist")
                .setModel(good).setAge(3).setVersion(1).build();
        ShuffleRequest validShuffle = ShuffleRequest.newBuilder().setHeader(client.header())
                .addEntries(PeerEntry.newBuilder().setNodeId("p1").setAddress("127.0.0.1:9000").setAge(1)).build();

        List<Supplier<Message>> updateMutations = List.of(
                () -> validUpdate.toBuilder().setModel(nanRef).build(),
                () -> validUpdate.toBuilder().setModel(infRef).build(),
                () -> validUpdate.toBuilder().setModel(wrongDim).build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setDimension(random.nextInt())).build(),
                () -> validUpdate.toBuilder().setModel(partial).build(),
                () -> validUpdate.toBuilder().setTaskId(randomId(random)).build(),
                () -> validUpdate.toBuilder().setTaskId(randomString(random, 1 + random.nextInt(300))).build(),
                () -> validUpdate.toBuilder().setBaseVersion(RecordingBackend.VERSION - RecordingBackend.MAX_STALENESS
                        - 1 - random.nextInt(1000)).build(),
                () -> validUpdate.toBuilder().setBaseVersion(RecordingBackend.VERSION + 1 + random.nextInt(1000)).build(),
                () -> validUpdate.toBuilder().setBaseVersion(-1 - random.nextInt(1000)).build(),
                () -> validUpdate.toBuilder().setNumSamples(pick(random, Double.NaN, Double.POSITIVE_INFINITY, -1, 0, 1e300)).build(),
                () -> validUpdate.toBuilder().setTrainLoss(pick(random, Double.NaN, Double.NEGATIVE_INFINITY, -0.5)).build(),
                () -> validUpdate.toBuilder().setUpdateId(randomInvalidId(random)).build(),
                () -> validUpdate.toBuilder().setHeader(Header.newBuilder().setSenderId(randomInvalidId(random))).build(),
                () -> validUpdate.toBuilder().clearHeader().build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setDigest(randomString(random, random.nextInt(100)))).build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setDigest(randomHex(random))).build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setCodec(randomString(random, 1 + random.nextInt(10)))).build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setSizeBytes(random.nextLong())).build(),
                () -> validUpdate.toBuilder().setModel(good.toBuilder().setIsDelta(true).setDeltaBaseVersion(3)).build(),
                () -> validUpdate.toBuilder().clearModel().build());
        List<Supplier<Message>> otherMutations = List.of(
                () -> validPush.toBuilder().setModel(nanRef).build(),
                () -> validPush.toBuilder().setModel(wrongDim).build(),
                () -> validPush.toBuilder().setModel(partial).build(),
                () -> validPush.toBuilder().setTaskId(randomId(random)).build(),
                () -> validPush.toBuilder().setAge(pick(random, Double.NaN, -1, Double.POSITIVE_INFINITY)).build(),
                () -> validShuffle.toBuilder().setHeader(client.header().toBuilder().setSenderAddress(randomString(random, random.nextInt(50)))).build(),
                () -> validShuffle.toBuilder().addEntries(PeerEntry.newBuilder().setNodeId(randomString(random, random.nextInt(10)))
                        .setAddress(randomString(random, random.nextInt(30))).setAge(random.nextInt())).build(),
                () -> {
                    ShuffleRequest.Builder b = validShuffle.toBuilder();
                    for (int i = 0; i < MembershipService.MAX_ENTRIES; i++) {
                        b.addEntries(validShuffle.getEntries(0));
                    }
                    return b.build();
                },
                () -> GetModelRequest.newBuilder().setHeader(client.header()).setTaskId(randomId(random)).build(),
                () -> StatRequest.newBuilder().setHeader(client.header()).setDigest(randomString(random, random.nextInt(80))).build());

        Map<Status.Code, Integer> codes = new EnumMap<>(Status.Code.class);
        try (NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                .addService(new AggregatorService(backend, store, self))
                .addService(new GossipService(backend, store, self))
                .addService(new MembershipService(backend, self))
                .addService(new BlobService(store, self))
                .start();
             PeerChannels channels = new PeerChannels(client, TransportOptions.defaults(), null)) {
            Channel channel = channels.to(NodeId.of("aggregator"), server.address());
            for (int i = 0; i < REQUESTS; i++) {
                int kind = random.nextInt(10);
                Status status;
                if (kind < 3) {
                    byte[] junk = new byte[random.nextInt(2048)];
                    random.nextBytes(junk);
                    status = call(channel, UNARY_METHODS.get(random.nextInt(UNARY_METHODS.size())), junk);
                } else if (kind < 7) {
                    Message m = updateMutations.get(random.nextInt(updateMutations.size())).get();
                    status = call(channel, UNARY_METHODS.get(0), m.toByteArray());
                } else {
                    Message m = otherMutations.get(random.nextInt(otherMutations.size())).get();
                    status = call(channel, methodFor(m), m.toByteArray());
                }
                if (status.isOk()) {
                    continue;
                }
                codes.merge(status.getCode(), 1, Integer::sum);
                assertExplained(status, i);
            }
            for (int i = 0; i < 5; i++) {
                byte[] oversize = new byte[TransportOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES + 1 + random.nextInt(1000)];
                Status status = call(channel, UNARY_METHODS.get(i), oversize);
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertExplained(status, REQUESTS + i);
            }

            assertThat(backend.updates).as("updates that passed the checks").isEmpty();
            assertThat(backend.gossip).as("gossip models that passed the checks").isEmpty();
            assertThat(listFiles(dir.resolve("store"))).as("blob store files").isEqualTo(storeBefore);

            AggregatorGrpc.newBlockingStub(channel).submitUpdate(validUpdate);
            assertThat(backend.updates).hasSize(1);
        }
        System.out.println("status codes of " + REQUESTS + " malformed requests: " + codes);
        assertThat(codes.keySet()).contains(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
                Status.Code.OUT_OF_RANGE, Status.Code.FAILED_PRECONDITION);
    }

    private static void assertExplained(Status status, int request) {
        if (status.getDescription() == null || status.getDescription().isBlank()) {
            fail("request #" + request + " (seed " + SEED + ") was refused with " + status.getCode() + " but no reason");
        }
        if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL) {
            fail("request #" + request + " (seed " + SEED + ") hit an unexpected failure: " + status);
        }
    }

    private static MethodDescriptor<byte[], byte[]> methodFor(Message m) {
        return switch (m) {
            case PushModelRequest p -> UNARY_METHODS.get(2);
            case ShuffleRequest s -> UNARY_METHODS.get(3);
            case GetModelRequest g -> UNARY_METHODS.get(1);
            case StatRequest s -> UNARY_METHODS.get(4);
            default -> UNARY_METHODS.get(0);
        };
    }

    private static Status call(Channel channel, MethodDescriptor<byte[], byte[]> method, byte[] body) {
        try {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), body);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    private static ModelRef put(BlobStore store, ParamVector v) {
        byte[] bytes = v.toBytes();
        return ModelRef.newBuilder().setDigest(store.put(bytes).hex()).setSizeBytes(bytes.length)
                .setDimension(v.size()).setCodec("f32").build();
    }

    private static List<String> listFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static double pick(Random r, double... values) {
        return values[r.nextInt(values.length)];
    }

    private static String randomId(Random r) {
        return "task-" + Integer.toHexString(r.nextInt());
    }

    private static String randomHex(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Empty, too long, or holding a character outside [A-Za-z0-9._:/-]. */
    private static String randomInvalidId(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "";
            case 1 -> "a".repeat(129 + r.nextInt(100));
            default -> {
                StringBuilder sb = new StringBuilder("id-" + r.nextInt(1000));
                sb.insert(r.nextInt(sb.length() + 1), " \\\n\u0000é%;".charAt(r.nextInt(7)));
                yield sb.toString();
            }
        };
    }

    private static String randomString(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000)));
        }
        return sb.toString();
    }

}
