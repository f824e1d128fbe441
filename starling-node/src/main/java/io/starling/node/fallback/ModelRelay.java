package io.starling.node.fallback;

import io.grpc.StatusRuntimeException;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobException;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.StatResponse;
import io.starling.net.transport.Backoff;
import io.starling.net.transport.CallTimeouts;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransferFailedException;
import io.starling.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a committed model's blob for a group client from whoever already holds it: a few
 * random peers (other group clients, in up to {@link RelaySettings#peerRounds()} rounds with random
 * pauses between them), then the followers in random order, the leader last. Each source gets
 * one attempt with a deadline and no retry: a source that is down, slow or lacks the blob
 * (NOT_FOUND) costs one attempt and the next is asked; so does one that claims a size other than
 * the checkpoint's, before any byte moves. The blob is addressed by its SHA-256
 * digest and verified as it is written into the client's store, so any source is as good as the
 * leader; a source sending other bytes fails its attempt. Bytes received are counted per
 * {@link RelaySource}. One fetch runs at a time per client (a second waits and then finds the
 * blob held), so two answers never race on the same partial file.
 */
final class ModelRelay {
    private static final Logger log = LoggerFactory.getLogger(ModelRelay.class);
    /** Slowest transfer accepted before an attempt is abandoned, bytes/s. */
    private static final long MIN_TRANSFER_BYTES_PER_SECOND = 1 << 20;
    private static final Backoff ONE_ATTEMPT = new Backoff(1, 1, 1, 1);

    private final LocalNode self;
    private final PeerChannels channels;
    private final RelaySettings settings;
    private final CallTimeouts timeouts;
    private final SplittableRandom rng;
    private final long seed;
    private final RelayCounters counters = new RelayCounters();
    private final ReentrantLock fetching = new ReentrantLock();

    ModelRelay(LocalNode self, PeerChannels channels, RelaySettings settings, long seed) {
        this.self = self;
        this.channels = channels;
        this.settings = settings;
        this.timeouts = new CallTimeouts(settings.attemptTimeoutMs(), settings.attemptTimeoutMs(),
                MIN_TRANSFER_BYTES_PER_SECOND, settings.attemptTimeoutMs());
        this.rng = new SplittableRandom(seed);
        this.seed = seed;
    }

    RelayCounters counters() {
        return counters;
    }

    /**
     * Makes {@code store} hold blob {@code digest}, asking the sources in relay order.
     *
     * @param sizeBytes the blob's size as the committed checkpoint states it; a source that
     *     claims another size is not fetched from
     * @param peers other group clients' gRPC addresses by id, as known now
     * @param replicas every replica's gRPC address by id
     * @param leaderId the serving leader among {@code replicas}
     * @return the kind of source that delivered it; empty when the store held it already
     * @throws ModelUnavailableException when no source delivered it
     */
    Optional<RelaySource> fetch(BlobStore store, BlobDigest digest, long sizeBytes, Map<String, String> peers,
                                Map<String, String> replicas, String leaderId) {
        fetching.lock();
        try {
            if (store.contains(digest)) {
                return Optional.empty();
            }
            List<String> failures = new ArrayList<>();
            if (settings.peersPerRound() > 0 && !peers.isEmpty()) {
                for (int round = 0; round < settings.peerRounds(); round++) {
                    if (round > 0) {
                        pause();
                    }
                    for (ModelSource s : choose(() -> RelayPlan.peers(peers, settings.peersPerRound(), rng))) {
                        if (attempt(store, digest, sizeBytes, s, failures)) {
                            return Optional.of(RelaySource.PEER);
                        }
                    }
                }
            }
            for (ModelSource s : choose(() -> RelayPlan.replicas(replicas, leaderId, rng))) {
                if (attempt(store, digest, sizeBytes, s, failures)) {
                    return Optional.of(s.kind());
                }
            }
            throw new ModelUnavailableException("no source delivered model " + digest.shortHex() + " ("
                    + String.join("; ", failures) + "); the client asks again at its next probe");
        } finally {
            fetching.unlock();
        }
    }

    private List<ModelSource> choose(Supplier<List<ModelSource>> plan) {
        synchronized (rng) {
            return plan.get();
        }
    }

    private boolean attempt(BlobStore store, BlobDigest digest, long sizeBytes, ModelSource source,
                            List<String> failures) {
        BlobClient client = new BlobClient(channels.to(NodeId.of(source.id()), source.address()), self, timeouts,
                ONE_ATTEMPT, BlobService.CHUNK_BYTES, 0, seed);
        try {
            StatResponse held = client.stat(digest);
            if (held.getState() != StatResponse.State.COMPLETE) {
                return failed(source, digest, "holds no complete copy (" + held.getState() + ")", failures);
            }
            if (held.getSizeBytes() != sizeBytes) {
                return failed(source, digest, "claims " + held.getSizeBytes() + " bytes where the checkpoint says "
                        + sizeBytes, failures);
            }
            long received = client.downloadInto(store, digest);
            counters.record(source.kind(), received);
            log.debug("{}: model {} from {} {} ({} bytes)", self.id(), digest.shortHex(), source.kind().tag(),
                    source.id(), received);
            return true;
        } catch (StatusRuntimeException e) {
            return failed(source, digest, e.getStatus().getCode() + " " + e.getStatus().getDescription(), failures);
        } catch (TransferFailedException | BlobException e) {
            return failed(source, digest, e.getMessage(), failures);
        }
    }

    private boolean failed(ModelSource source, BlobDigest digest, String why, List<String> failures) {
        failures.add(source.kind().tag() + " " + source.id() + ": " + why);
        log.debug("{}: {} {} did not deliver model {}: {}", self.id(), source.kind().tag(), source.id(),
                digest.shortHex(), why);
        return false;
    }

    private void pause() {
        long ms;
        synchronized (rng) {
            ms = settings.peerPauseMs() == 0 ? 0 : rng.nextLong(settings.peerPauseMs() + 1);
        }
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException(self.id() + " was interrupted while waiting for its peers", e);
        }
    }
}
