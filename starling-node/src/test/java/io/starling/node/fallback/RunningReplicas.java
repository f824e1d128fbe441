package io.starling.node.fallback;

import io.starling.raft.history.HistoryRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link GrpcReplicas} and {@link InProcessReplicas} share: the running replicas by id, the
 * history they record to, stopping one (its data directory stays) and closing all.
 *
 * @param <R> how one running replica is held (a gRPC server, or the replica itself)
 */
abstract class RunningReplicas<R extends AutoCloseable> implements ReplicaGroup {
    protected final Path root;
    protected final Map<String, R> running = new LinkedHashMap<>();
    private final HistoryRecorder history;

    RunningReplicas(Path root) {
        this.root = root;
        this.history = HistoryRecorder.open(root.resolve("history.jsonl"));
    }

    @Override
    public final HistoryRecorder history() {
        return history;
    }

    @Override
    public final synchronized void stop(String id) {
        R replica = running.remove(id);
        onStopping(id);
        if (replica != null) {
            try {
                replica.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop replica " + id, e);
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop replica " + id, e);
            }
        }
    }

    /** Called with the lock held just before replica {@code id} closes. */
    protected void onStopping(String id) {
    }

    /** Releases what the group holds beyond its replicas, after they stopped. */
    protected void release() {
    }

    @Override
    public abstract List<io.starling.raft.aggregator.ReplicatedAggregator> running();

    @Override
    public final void close() {
        try {
            stopAll();
        } finally {
            try {
                release();
            } finally {
                history.close();
            }
        }
    }
}
