package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.MembersResponse;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.grpc.CheckpointMessages;
import io.starling.raft.grpc.GrpcAggregatorEndpoint;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link ReplicatedCluster} of replicas reached over gRPC ({@link io.starling.raft.grpc.ReplicaServer}):
 * submissions go through the replicated aggregator's {@link AggregatorClient} over
 * {@link GrpcAggregatorEndpoint}s (leader redirects, resends; hand-backs carry {@code gossip_age});
 * the serving model is the latest checkpoint of the replica whose {@code Cluster.Members} answer
 * says it serves as leader, its model fetched with {@code Blob.Fetch} (verified) and its age read
 * from the checkpoint's metrics. A read that finds no serving leader resets the channels'
 * reconnect backoff, so the hybrid's periodic probe sets the pace of reconnecting.
 */
public final class GrpcCluster implements ReplicatedCluster {
    /** Deadline of one replica's {@code Members} answer while looking for the serving leader. */
    private static final long MEMBERS_TIMEOUT_MS = 1_000;

    private final LocalNode self;
    private final PeerChannels channels;
    private final List<GrpcAggregatorEndpoint> endpoints = new ArrayList<>();
    private final AggregatorClient client;
    private final BlobStore store;
    private final ExecutorService io;

    /**
     * @param clientId the client these submissions come from
     * @param grpcAddresses the replicas' Starling gRPC addresses ("host:port"), by replica id
     * @param taskId the task the group trains
     * @param blobDir where fetched models are kept (verified, content-addressed)
     * @param attemptTimeoutMs how long one replica is given to acknowledge before resending
     * @param history where submits, resends and acks are recorded, or null
     */
    public GrpcCluster(String clientId, Map<String, String> grpcAddresses, String taskId, Path blobDir,
                       long attemptTimeoutMs, HistoryRecorder history) {
        this.self = new LocalNode(NodeId.of(clientId), "", java.time.Clock.systemUTC());
        this.channels = new PeerChannels(self, TransportOptions.defaults(), null);
        grpcAddresses.forEach((id, address) ->
                endpoints.add(new GrpcAggregatorEndpoint(id, address, channels, self, taskId)));
        this.client = new AggregatorClient(clientId, endpoints, attemptTimeoutMs, Math.max(10, attemptTimeoutMs / 20),
                history, System::currentTimeMillis);
        this.store = BlobStore.open(blobDir);
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cluster-io-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Optional<ServedModel>> servingModel() {
        return CompletableFuture.supplyAsync(this::readServingModel, io);
    }

    private Optional<ServedModel> readServingModel() {
        for (GrpcAggregatorEndpoint e : endpoints) {
            Optional<MembersResponse> view = e.members(MEMBERS_TIMEOUT_MS);
            if (view.isEmpty() || !view.get().getServingLeader() || !view.get().hasLatest()) {
                continue;
            }
            CheckpointCommitted latest = CheckpointMessages.fromProto(view.get().getLatest());
            BlobDigest digest = BlobDigest.parse(latest.digest());
            if (!store.contains(digest)) {
                BlobClient.of(channels.to(NodeId.of(e.replicaId()), e.address()), self).downloadInto(store, digest);
            }
            ParamVector model = ParamVector.fromBytes(store.read(digest));
            return Optional.of(new ServedModel(latest.version(), CheckpointAggregation.modelAge(latest), model));
        }
        // Replicas that were down leave their channels in gRPC's growing reconnect backoff; the
        // next probe should find a restarted leader at once, not after the backoff.
        channels.resetConnectBackoff();
        return Optional.empty();
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.submitUntilAcked(update, timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, io);
    }

    @Override
    public void close() {
        io.shutdownNow();
        endpoints.forEach(GrpcAggregatorEndpoint::close);
        channels.close();
    }
}
