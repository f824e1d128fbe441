package io.starling.node.transport;

import io.grpc.Channel;
import io.grpc.Status;
import io.starling.core.compress.ModelCodec;
import io.starling.core.compress.ModelCodecs;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.GossipGrpc;
import io.starling.net.proto.MembershipGrpc;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.NewModel;
import io.starling.net.proto.PeerEntry;
import io.starling.net.proto.PushModelRequest;
import io.starling.net.proto.ShuffleRequest;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.proto.UpdateAck;
import io.starling.net.proto.UpdateRefusal;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransferFailedException;
import io.starling.net.transport.TransportOptions;
import io.starling.node.runtime.ProtocolDriver;
import io.starling.protocol.NodeId;
import io.starling.protocol.message.ClientUpdate;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.GossipModel;
import io.starling.protocol.message.Join;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.message.ShuffleReply;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.protocol.message.UpdateRejected;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Carries out a protocol {@code Send} over gRPC, one protocol message to one RPC (model bytes go
 * first, as a blob):
 * <ul>
 *   <li>ClientUpdate: Blob.Put to the aggregator, then Aggregator.SubmitUpdate;</li>
 *   <li>Join: (re)opens the client's inbox stream, Aggregator.WatchVersions;</li>
 *   <li>GlobalModel, UpdateAccepted, UpdateRejected: down the client's inbox stream;</li>
 *   <li>GossipModel: Blob.Put to the peer, then Gossip.PushModel;</li>
 *   <li>ShuffleRequest, ShuffleReply: Membership.Shuffle (with addresses of the entries).</li>
 * </ul>
 * Network calls run on a small IO pool; inbox sends are in-memory and happen in order.
 */
public final class GrpcMessenger implements ProtocolDriver.Messenger, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GrpcMessenger.class);

    private final LocalNode self;
    private final PeerChannels channels;
    private final AddressBook addresses;
    private final Inboxes inboxes;
    private final BlobStore store;
    private final TrafficCounters traffic;
    private final TransportOptions options;
    private final long uploadBytesPerSecond;
    private final AggregatorLink link;
    private final ModelCodec uploadCodec;
    private final ExecutorService io;

    /** As the full constructor, uploading models uncompressed (f32). */
    public GrpcMessenger(LocalNode self, PeerChannels channels, AddressBook addresses, Inboxes inboxes, BlobStore store,
                         TrafficCounters traffic, TransportOptions options, long uploadBytesPerSecond, AggregatorLink link) {
        this(self, channels, addresses, inboxes, store, traffic, options, uploadBytesPerSecond, link,
                ModelCodecs.parse("f32"));
    }

    /**
     * @param link the client's inbox link, or null for nodes that never join an aggregator
     * @param uploadCodec how models this node uploads (updates, gossip pushes) are encoded: the
     *     task's codec, which the receiver checks against the task it serves
     */
    public GrpcMessenger(LocalNode self, PeerChannels channels, AddressBook addresses, Inboxes inboxes, BlobStore store,
                         TrafficCounters traffic, TransportOptions options, long uploadBytesPerSecond, AggregatorLink link,
                         ModelCodec uploadCodec) {
        this.self = self;
        this.channels = channels;
        this.addresses = addresses;
        this.inboxes = inboxes;
        this.store = store;
        this.traffic = traffic;
        this.options = options;
        this.uploadBytesPerSecond = uploadBytesPerSecond;
        this.link = link;
        this.uploadCodec = uploadCodec;
        this.io = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "net-io-" + self.id());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Void> send(NodeId to, ProtocolMessage message) {
        try {
            switch (message) {
                case GlobalModel g -> inbox(to, Announcement.newBuilder().setTaskId(g.taskId())
                        .setModel(NewModel.newBuilder().setVersion(g.version()).setModel(storeModel(g.params()))
                                .setAge(g.age())).build());
                case UpdateAccepted a -> inbox(to, Announcement.newBuilder().setTaskId(a.taskId())
                        .setAccepted(UpdateAck.newBuilder().setUpdateId(a.updateId()).setVersion(a.version())).build());
                case UpdateRejected r -> inbox(to, Announcement.newBuilder().setTaskId(r.taskId())
                        .setRejected(UpdateRefusal.newBuilder().setUpdateId(r.updateId())
                                .setReason(r.rejection().reason().name()).setDetail(r.rejection().detail())
                                .setCurrentVersion(r.currentVersion())).build());
                case Join j -> {
                    if (link == null) {
                        throw new IllegalStateException("this node has no aggregator to join");
                    }
                    link.join(j.taskId());
                }
                default -> {
                    return CompletableFuture.runAsync(() -> call(to, message), io);
                }
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void inbox(NodeId to, Announcement a) {
        Consumer<Announcement> sink = inboxes.of(to).orElseThrow(() -> new TransferFailedException(
                to + " has no open inbox stream (it has not joined, or its connection broke)",
                Status.Code.UNAVAILABLE, null));
        traffic.sent(a.getSerializedSize());
        sink.accept(a);
    }

    private ModelRef storeModel(ParamVector params) {
        byte[] bytes = params.toBytes();
        BlobDigest digest = store.put(bytes);
        return ModelRef.newBuilder().setDigest(digest.hex()).setSizeBytes(bytes.length)
                .setDimension(params.size()).setCodec("f32").build();
    }

    private void call(NodeId to, ProtocolMessage message) {
        String address = addresses.addressOf(to).orElseThrow(() -> new TransferFailedException(
                "no address known for node " + to, Status.Code.UNAVAILABLE, null));
        Channel channel = channels.to(to, address);
        switch (message) {
            case ClientUpdate u -> {
                ModelRef ref = upload(channel, u.params());
                SubmitUpdateRequest request = SubmitUpdateRequest.newBuilder().setHeader(self.header())
                        .setTaskId(u.taskId()).setUpdateId(u.updateId()).setBaseVersion(u.baseVersion())
                        .setModel(ref).setNumSamples(u.samples()).setTrainLoss(Double.isFinite(u.loss()) ? u.loss() : 0)
                        .build();
                traffic.sent(request.getSerializedSize());
                AggregatorGrpc.newBlockingStub(channel).submitUpdate(request);
            }
            case GossipModel g -> {
                ModelRef ref = upload(channel, g.params());
                PushModelRequest request = PushModelRequest.newBuilder().setHeader(self.header()).setTaskId(g.taskId())
                        .setModel(ref).setAge(g.age()).build();
                traffic.sent(request.getSerializedSize());
                GossipGrpc.newBlockingStub(channel).pushModel(request);
            }
            case io.starling.protocol.message.ShuffleRequest s -> shuffle(channel, s.descriptors(), false);
            case ShuffleReply s -> shuffle(channel, s.descriptors(), true);
            default -> throw new IllegalArgumentException("no transport mapping for " + message.type());
        }
    }

    private ModelRef upload(Channel channel, ParamVector params) {
        byte[] bytes = uploadCodec.encode(params);
        BlobClient blobs = new BlobClient(channel, self, options.timeouts(), options.backoff(), BlobService.CHUNK_BYTES,
                uploadBytesPerSecond, self.id().hashCode());
        BlobClient.UploadResult result = blobs.upload(bytes);
        traffic.sent(result.bytesSent());
        if (result.resumedFromOffset() > 0 && !result.alreadyPresent()) {
            log.info("resumed the upload of blob {} at byte {} of {}", result.digest().shortHex(),
                    result.resumedFromOffset(), result.sizeBytes());
        }
        return ModelRef.newBuilder().setDigest(result.digest().hex()).setSizeBytes(bytes.length)
                .setDimension(params.size()).setCodec(uploadCodec.name()).build();
    }

    private void shuffle(Channel channel, List<PeerDescriptor> descriptors, boolean reply) {
        ShuffleRequest.Builder b = ShuffleRequest.newBuilder().setHeader(self.header()).setIsReply(reply);
        for (PeerDescriptor d : descriptors) {
            String address = d.node().equals(self.id()) ? self.address() : addresses.addressOf(d.node()).orElse("");
            if (!address.isEmpty()) {
                b.addEntries(PeerEntry.newBuilder().setNodeId(d.node().value()).setAddress(address).setAge(d.age()));
            }
        }
        ShuffleRequest request = b.build();
        traffic.sent(request.getSerializedSize());
        MembershipGrpc.newBlockingStub(channel).shuffle(request);
    }

    @Override
    public void close() {
        io.shutdownNow();
        try {
            // A send in flight may be writing its model into the blob store: let it finish (or
            // fail on the interrupt) before the caller tears the store down.
            if (!io.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                log.warn("messenger of {} still has sends running 5 s after close", self.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
