package io.starling.node.transport;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.starling.core.compress.ModelCodecs;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.WatchVersionsRequest;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LocalNode;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.message.Rejection;
import io.starling.protocol.message.RejectionReason;
import io.starling.protocol.message.Signature;
import io.starling.protocol.message.UpdateAccepted;
import io.starling.protocol.message.UpdateRejected;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection to its aggregator's inbox: a {@code Join} (re)opens the WatchVersions
 * stream; announcements arriving on it become protocol messages, in order. A new model is first
 * downloaded into the local blob store (verified, resumable) and only then delivered.
 */
public final class AggregatorLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AggregatorLink.class);

    private final NodeId aggregator;
    private final Channel channel;
    private final LocalNode self;
    private final BlobClient blobs;
    private final BlobStore store;
    private final Consumer<Event> events;
    private final TrafficCounters traffic;
    private final CallTimeouts timeouts;
    private final ExecutorService inbound;
    private Context.CancellableContext stream;

    public AggregatorLink(NodeId aggregator, Channel channel, LocalNode self, BlobClient blobs, BlobStore store,
                          Consumer<Event> events, TrafficCounters traffic, CallTimeouts timeouts) {
        this.aggregator = aggregator;
        this.channel = channel;
        this.self = self;
        this.blobs = blobs;
        this.store = store;
        this.events = events;
        this.traffic = traffic;
        this.timeouts = timeouts;
        this.inbound = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "inbox-" + self.id());
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens a fresh inbox stream for {@code taskId}, replacing any open one. */
    public synchronized void join(String taskId) {
        if (stream != null) {
            stream.cancel(null);
        }
        Context.CancellableContext ctx = Context.current().withCancellation();
        stream = ctx;
        WatchVersionsRequest request = WatchVersionsRequest.newBuilder().setHeader(self.header())
                .setTaskId(taskId).setAfterVersion(-1).build();
        traffic.sent(request.getSerializedSize());
        ctx.run(() -> AggregatorGrpc.newStub(channel).withDeadlineAfter(timeouts.watchMs(), TimeUnit.MILLISECONDS)
                .watchVersions(request, new StreamObserver<>() {
                    @Override
                    public void onNext(Announcement a) {
                        traffic.received(a.getSerializedSize());
                        inbound.execute(() -> deliver(a));
                    }

                    @Override
                    public void onError(Throwable t) {
                        log.debug("inbox stream from {} ended: {}", aggregator, t.toString());
                    }

                    @Override
                    public void onCompleted() {
                        log.debug("inbox stream from {} completed", aggregator);
                    }
                }));
    }

    private void deliver(Announcement a) {
        try {
            switch (a.getEventCase()) {
                case MODEL -> {
                    var m = a.getModel();
                    BlobDigest digest = BlobDigest.parse(m.getModel().getDigest());
                    traffic.received(blobs.downloadInto(store, digest));
                    ParamVector params = ModelCodecs.forWireName(m.getModel().getCodec())
                            .decode(store.read(digest), m.getModel().getDimension());
                    events.accept(new Event.MessageReceived(aggregator, new GlobalModel(aggregator, Signature.NONE,
                            a.getTaskId(), m.getVersion(), params, m.getAge())));
                }
                case ACCEPTED -> events.accept(new Event.MessageReceived(aggregator, new UpdateAccepted(aggregator,
                        Signature.NONE, a.getAccepted().getUpdateId(), a.getTaskId(), a.getAccepted().getVersion())));
                case REJECTED -> {
                    var r = a.getRejected();
                    RejectionReason reason;
                    try {
                        reason = RejectionReason.valueOf(r.getReason());
                    } catch (IllegalArgumentException e) {
                        reason = RejectionReason.UNEXPECTED_MESSAGE;
                    }
                    events.accept(new Event.MessageReceived(aggregator, new UpdateRejected(aggregator, Signature.NONE,
                            r.getUpdateId(), a.getTaskId(), new Rejection(reason, r.getDetail()), r.getCurrentVersion())));
                }
                case EVENT_NOT_SET -> log.warn("empty announcement from {}", aggregator);
            }
        } catch (RuntimeException e) {
            log.warn("cannot take announcement from {}: {}", aggregator, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (stream != null) {
            stream.cancel(null);
        }
        inbound.shutdownNow();
    }
}
