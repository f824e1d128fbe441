package io.starling.cli.demo;

import io.grpc.StatusRuntimeException;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobStore;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.TransferFailedException;
import io.starling.protocol.NodeId;
import io.starling.node.fallback.ServedModel;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.CheckpointAggregation;
import io.starling.raft.grpc.CheckpointMessages;
import io.starling.raft.harness.ReplicaProcesses;
import io.starling.raft.harness.ReplicaStatus;
import io.starling.raft.log.CheckpointCommitted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The demo's aggregator group: {@code n} replica JVMs on 127.0.0.1 (Ratis gRPC between them), seen
 * through their Starling gRPC services: status and committed chains from {@code Cluster}, model
 * blobs from {@code Blob}. It SIGKILLs and restarts replicas. {@link #close} kills every process
 * it started; a JVM shutdown hook does the same on Ctrl-C.
 */
public final class DemoCluster implements AutoCloseable {
    private final ReplicaProcesses processes;
    private final BlobStore downloads;
    private final LocalNode self = LocalNode.of("starling-demo", "");
    private final Thread shutdownHook;
    private final long readyTimeoutMs;
    private volatile CommittedModel cached;

    /** Replica status as the replica reports it. */
    public record Status(String id, boolean isLeader, String leader, long latestVersion, String proposer,
                         boolean holdsLatestBlob) {
        static Status of(ReplicaStatus s) {
            return new Status(s.id(), s.isLeader(), s.leader(), s.latestVersion(), s.proposer(), s.holdsLatestBlob());
        }
    }

    /**
     * @param dir where the replicas keep their data, logs and history files
     * @param replicaArgs extra {@code --name value} arguments of every replica process
     */
    public DemoCluster(Path dir, int replicas, int dim, List<String> replicaArgs, long readyTimeoutMs) {
        this.processes = new ReplicaProcesses(dir, replicas, dim, replicaArgs);
        this.readyTimeoutMs = readyTimeoutMs;
        this.downloads = BlobStore.open(dir.resolve("demo-downloads"));
        this.shutdownHook = new Thread(processes::close, "starling-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts every replica and waits until each prints READY. */
    public void startAll() {
        processes.startAll(readyTimeoutMs);
    }

    public List<String> ids() {
        return processes.ids();
    }

    /**
     * Endpoints for {@link io.starling.raft.aggregator.AggregatorClient}, on channels with short
     * channel-level retries (a dead leader is left for the next replica at once).
     */
    public List<? extends AggregatorEndpoint> endpoints() {
        return processes.endpoints();
    }

    public boolean isRunning(String id) {
        return processes.isRunning(id);
    }

    public OptionalLong pid(String id) {
        return processes.pid(id);
    }

    /** The status of replica {@code id}, or empty when it does not answer. */
    public Optional<Status> status(String id) {
        if (!processes.isRunning(id)) {
            return Optional.empty();
        }
        return processes.status(id).map(Status::of);
    }
    /** The running replica that serves as leader, if one answers that it does. */
    public Optional<Status> leader() {
        for (String id : ids()) {
            Optional<Status> s = status(id);
            if (s.isPresent() && s.get().isLeader()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** Waits until a leader has committed the genesis checkpoint. */
    public Status awaitLeaderWithGenesis(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            Optional<Status> l = leader();
            if (l.isPresent() && l.get().latestVersion() >= 0) {
                return l.get();
            }
            Thread.sleep(50);
        }
        throw new DemoFailedException("no replica became leader with a committed genesis checkpoint within "
                + timeoutMs + " ms; see the replica logs in " + "the demo's cluster folder");
    }

    /** SIGKILLs replica {@code id}: no shutdown hook, no goodbye to its peers. */
    public void kill9(String id) throws InterruptedException {
        processes.kill9(id);
    }

    /** Starts replica {@code id} again on its old data directory and ports. */
    public void restart(String id) {
        processes.start(id, readyTimeoutMs);
    }

    /**
     * The latest committed checkpoint and its model, read from the leader if one answers, else
     * from the running replica that holds the newest one (a restarted replica may lag behind);
     * empty when none answers.
     */
    public Optional<CommittedModel> latestModel() {
        List<String> order = new ArrayList<>();
        leader().ifPresent(l -> order.add(l.id()));
        ids().stream().filter(id -> !order.contains(id))
                .sorted(java.util.Comparator.comparingLong((String id) -> status(id).map(Status::latestVersion)
                        .orElse(-1L)).reversed())
                .forEach(order::add);
        for (String id : order) {
            if (!processes.isRunning(id)) {
                continue;
            }
            Optional<io.starling.net.proto.MembersResponse> view = processes.admin(id).tryMembers();
            if (view.isEmpty() || !view.get().hasLatest() || !view.get().getHoldsLatestBlob()) {
                continue;
            }
            var head = view.get().getLatest();
            CommittedModel c = cached;
            if (c != null && c.digest().equals(head.getDigest())) {
                return Optional.of(c);
            }
            try {
                return Optional.of(download(id, head));
            } catch (TransferFailedException | StatusRuntimeException e) {
                // this replica died or lost the blob meanwhile: ask the next one
            }
        }
        return Optional.empty();
    }

    /**
     * The latest committed model of the replica that serves as leader, with its age; empty when
     * no running replica says it serves (a follower's copy does not count: an update sent now
     * could not be committed).
     */
    public Optional<ServedModel> servingModel() {
        for (String id : ids()) {
            if (!processes.isRunning(id)) {
                continue;
            }
            Optional<io.starling.net.proto.MembersResponse> view = processes.admin(id).tryMembers();
            if (view.isEmpty() || !view.get().getServingLeader() || !view.get().hasLatest()
                    || !view.get().getHoldsLatestBlob()) {
                continue;
            }
            CheckpointCommitted head = CheckpointMessages.fromProto(view.get().getLatest());
            try {
                CommittedModel m = download(id, view.get().getLatest());
                return Optional.of(new ServedModel(m.version(), CheckpointAggregation.modelAge(head), m.params()));
            } catch (TransferFailedException | StatusRuntimeException e) {
                // the leader died or lost the blob meanwhile: no serving model right now
                return Optional.empty();
            }
        }
        processes.channels().resetConnectBackoff();
        return Optional.empty();
    }

    /** Fetches a checkpoint's model from replica {@code id}; one download at a time into the scratch store. */
    private synchronized CommittedModel download(String id, io.starling.net.proto.Checkpoint head) {
        CommittedModel c = cached;
        if (c != null && c.digest().equals(head.getDigest())) {
            return c;
        }
        CommittedModel fresh = fetch(id, head.getVersion(), head.getProposer(), head.getDigest());
        cached = fresh;
        return fresh;
    }

    private synchronized CommittedModel fetch(String id, long version, String proposer, String digestHex) {
        BlobDigest digest = BlobDigest.parse(digestHex);
        BlobClient.of(processes.channels().to(NodeId.of(id), processes.grpcAddress(id)), self)
                .downloadInto(downloads, digest);
        CommittedModel fresh = new CommittedModel(version, proposer, digestHex, ParamVector.fromBytes(downloads.read(digest)));
        downloads.delete(digest);
        return fresh;
    }

    /**
     * The model of committed checkpoint {@code checkpoint} (not necessarily the latest), fetched
     * from the first running replica that serves its blob.
     *
     * @throws DemoFailedException if no running replica serves it
     */
    public CommittedModel model(CheckpointCommitted checkpoint) {
        List<String> tried = new ArrayList<>();
        for (String id : ids()) {
            if (!processes.isRunning(id)) {
                continue;
            }
            try {
                return fetch(id, checkpoint.version(), checkpoint.proposer(), checkpoint.digest());
            } catch (TransferFailedException | StatusRuntimeException e) {
                tried.add(id + ": " + e.getMessage());
            }
        }
        throw new DemoFailedException("no running replica serves the model of checkpoint v" + checkpoint.version()
                + " (" + checkpoint.digest() + "); tried " + tried);
    }

    /** Ids of the replicas running now. */
    public List<String> running() {
        return ids().stream().filter(processes::isRunning).toList();
    }

    /** The committed chain of each running replica that answers. */
    public Map<String, List<CheckpointCommitted>> chains() {
        Map<String, List<CheckpointCommitted>> out = new LinkedHashMap<>();
        for (String id : ids()) {
            if (processes.isRunning(id)) {
                try {
                    out.put(id, processes.chain(id));
                } catch (StatusRuntimeException e) {
                    // not answering: it is left out, and the caller sees fewer chains
                }
            }
        }
        return out;
    }

    /** The history files the replicas wrote (one per process incarnation). */
    public List<Path> historyFiles() throws java.io.IOException {
        return processes.historyFiles();
    }

    @Override
    public void close() {
        processes.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running: nothing to remove
        }
    }
}
