package io.starling.node.fallback;

import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.MembersResponse;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.grpc.CheckpointMessages;
import io.starling.raft.grpc.GrpcAggregatorEndpoint;
import io.starling.raft.history.HistoryRecorder;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link ReplicatedCluster} of replicas reached over gRPC ({@link io.starling.raft.grpc.ReplicaServer}):
 * submissions go through the replicated aggregator's {@link io.starling.raft.aggregator.AggregatorClient}
 * over {@link GrpcAggregatorEndpoint}s (leader redirects, resends; hand-backs carry {@code gossip_age});
 * the serving model is the latest checkpoint of the replica whose {@code Cluster.Members} answer
 * says it serves as leader, its age read from the checkpoint's metrics. Its blob is fetched by
 * digest through a {@link ModelRelay}: from peers that hold it (once {@link #relayThrough} named
 * them), then followers, the leader last, and verified as it is written. A read that finds no
 * serving leader resets the channels' reconnect backoff, so the hybrid's periodic probe sets the
 * pace of reconnecting.
 */
public final class GrpcCluster implements ReplicatedCluster {
    /** Deadline of one replica's {@code Members} answer while looking for the serving leader. */
    private static final long MEMBERS_TIMEOUT_MS = 1_000;

    private final PeerChannels channels;
    private final PeerChannels blobChannels;
    private final List<GrpcAggregatorEndpoint> endpoints = new ArrayList<>();
    private final Map<String, String> replicaAddresses;
    private final ClusterCalls calls;
    private final ModelRelay relay;
    private final AtomicLong bytesUp = new AtomicLong();
    private volatile BlobStore store;
    private volatile Supplier<Map<String, String>> peers = Map::of;

    /**
     * A client that fetches models from the replicas only, until {@link #relayThrough} names peers.
     *
     * @param clientId the client these submissions come from
     * @param grpcAddresses the replicas' Starling gRPC addresses ("host:port"), by replica id
     * @param taskId the task the group trains
     * @param blobDir where fetched models are kept (verified, content-addressed) until
     *     {@link #relayThrough} hands over the client's own store
     * @param attemptTimeoutMs how long one replica is given to acknowledge before resending
     * @param history where submits, resends and acks are recorded, or null
     */
    public GrpcCluster(String clientId, Map<String, String> grpcAddresses, String taskId, Path blobDir,
                       long attemptTimeoutMs, HistoryRecorder history) {
        this(clientId, grpcAddresses, taskId, blobDir, attemptTimeoutMs, history, RelaySettings.defaults(),
                clientId.hashCode());
    }

    /**
     * @param relay how peers are asked for a model before the replicas
     * @param seed seed of the random choice of sources
     */
    public GrpcCluster(String clientId, Map<String, String> grpcAddresses, String taskId, Path blobDir,
                       long attemptTimeoutMs, HistoryRecorder history, RelaySettings relay, long seed) {
        LocalNode self = new LocalNode(NodeId.of(clientId), "", Clock.systemUTC());
        this.channels = new PeerChannels(self, TransportOptions.defaults(), null);
        this.replicaAddresses = Map.copyOf(new LinkedHashMap<>(grpcAddresses));
        grpcAddresses.forEach((id, address) ->
                endpoints.add(new GrpcAggregatorEndpoint(id, address, channels, self, taskId)));
        this.calls = new ClusterCalls(clientId, endpoints.stream().map(this::counting).toList(), attemptTimeoutMs,
                history);
        this.store = BlobStore.open(blobDir);
        // Blob fetches move on to the next source rather than wait out channel-level retries.
        this.blobChannels = new PeerChannels(self, GrpcAggregatorEndpoint.channelOptions(), null);
        this.relay = new ModelRelay(self, blobChannels, relay, seed);
    }

    @Override
    public void relayThrough(BlobStore clientStore, Supplier<Map<String, String>> peerAddresses) {
        this.store = clientStore;
        this.peers = peerAddresses;
    }

    @Override
    public CompletableFuture<Optional<ServedModel>> servingModel() {
        return calls.async(this::readServingModel);
    }

    private Optional<ServedModel> readServingModel() {
        for (GrpcAggregatorEndpoint e : endpoints) {
            Optional<MembersResponse> view = e.members(MEMBERS_TIMEOUT_MS);
            if (view.isEmpty() || !view.get().getServingLeader() || !view.get().hasLatest()) {
                continue;
            }
            CheckpointCommitted latest = CheckpointMessages.fromProto(view.get().getLatest());
            BlobDigest digest = BlobDigest.parse(latest.digest());
            BlobStore target = store;
            relay.fetch(target, digest, latest.modelBytes(), peers.get(), replicaAddresses, e.replicaId());
            ParamVector model = ParamVector.fromBytes(target.read(digest));
            return Optional.of(new ServedModel(latest.version(), CheckpointAggregation.modelAge(latest), model));
        }
        // Replicas that were down leave their channels in gRPC's growing reconnect backoff; the
        // next probe should find a restarted leader at once, not after the backoff.
        channels.resetConnectBackoff();
        blobChannels.resetConnectBackoff();
        return Optional.empty();
    }

    @Override
    public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
        return calls.submitUntilAcked(update, timeoutMs);
    }

    /** Model bytes uploaded to replicas: every submission attempt, resends to a new leader included. */
    public long bytesUp() {
        return bytesUp.get();
    }

    /** Committed-model bytes fetched (each model this client had not held yet), from every source. */
    public long bytesDown() {
        return relay.counters().totalBytes();
    }

    /** Committed-model bytes and fetches by source: peers, followers, the leader. */
    public RelayCounters relayCounters() {
        return relay.counters();
    }

    /** An endpoint that counts the model bytes of each submission attempt it carries. */
    private AggregatorEndpoint counting(GrpcAggregatorEndpoint endpoint) {
        return new AggregatorEndpoint() {
            @Override
            public String replicaId() {
                return endpoint.replicaId();
            }

            @Override
            public CompletableFuture<UpdateAck> submit(ClientUpdate update) {
                bytesUp.addAndGet(update.model().size() * (long) Float.BYTES);
                return endpoint.submit(update);
            }

            @Override
            public Optional<String> leaderHint() {
                return endpoint.leaderHint();
            }
        };
    }

    @Override
    public void close() {
        calls.close();
        endpoints.forEach(GrpcAggregatorEndpoint::close);
        channels.close();
        blobChannels.close();
    }
}
