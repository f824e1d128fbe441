package io.starling.raft.state;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.log.LogEntryCodec;
import io.starling.raft.log.LogEntryDecodeException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of the replicated aggregator: a thin adapter that decodes log entries
 * and hands them to a {@link CheckpointChain}, which owns the rules.
 *
 * <ul>
 *   <li>{@code applyTransaction}: decode, apply to the chain (gapless, monotonic, each update
 *       absorbed once; a violating entry is rejected identically on every replica), reply with the
 *       {@link ApplyOutcome}.
 *   <li>{@code query}: latest checkpoint, whether an update id is committed, the whole chain.
 *   <li>{@code takeSnapshot}/{@code reinitialize}: the chain is written as a list of entries to a
 *       {@link SimpleStateMachineStorage} file with an MD5 side file, so Ratis can purge the log
 *       and install the snapshot on a replica that fell behind or lost its data directory.
 *   <li>leadership and no-leader notifications go to {@link ReplicaEvents} listeners.
 * </ul>
 */
public final class CheckpointStateMachine extends BaseStateMachine {
    private static final byte[] SNAPSHOT_MAGIC = {'S', 'T', 'C', 'K'};

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<ReplicaEvents> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private CheckpointChain chain = new CheckpointChain();

    public void addListener(ReplicaEvents listener) {
        listeners.add(listener);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            loadLatestSnapshot();
        });
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** Reloads the state from the latest snapshot on disk, e.g. one just installed from the leader. */
    @Override
    public void reinitialize() throws IOException {
        loadLatestSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        CheckpointChain restored = new CheckpointChain();
        TermIndex at = null;
        if (snapshot != null) {
            Path file = snapshot.getFile().getPath();
            MD5Hash md5 = snapshot.getFile().getFileDigest();
            if (md5 != null) {
                MD5FileUtil.verifySavedMD5(file.toFile(), md5);
            }
            for (LogEntry e : readSnapshot(file)) {
                ApplyOutcome outcome = restored.apply(e);
                if (!(outcome instanceof ApplyOutcome.Applied)) {
                    throw new IOException("snapshot " + file + " does not replay cleanly: " + outcome);
                }
            }
            at = snapshot.getTermIndex();
        }
        List<CheckpointCommitted> checkpoints;
        synchronized (lock) {
            chain = restored;
            if (at != null) {
                updateLastAppliedTermIndex(at);
            }
            checkpoints = restored.checkpoints();
        }
        long index = at == null ? -1 : at.getIndex();
        listeners.forEach(l -> l.onRestored(checkpoints, index));
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public long takeSnapshot() throws IOException {
        List<LogEntry> entries;
        TermIndex applied;
        synchronized (lock) {
            entries = chain.toEntries();
            applied = getLastAppliedTermIndex();
        }
        if (applied == null) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File target = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(SNAPSHOT_MAGIC);
            out.write(StateMessages.encodeEntries(entries));
        }
        Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), applied));
        return applied.getIndex();
    }

    private static List<LogEntry> readSnapshot(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < SNAPSHOT_MAGIC.length
                || !Arrays.equals(bytes, 0, SNAPSHOT_MAGIC.length, SNAPSHOT_MAGIC, 0, SNAPSHOT_MAGIC.length)) {
            throw new IOException("snapshot " + file + " is not a Starling checkpoint snapshot (bad magic)");
        }
        try {
            return StateMessages.decodeEntries(Arrays.copyOfRange(bytes, SNAPSHOT_MAGIC.length, bytes.length));
        } catch (LogEntryDecodeException e) {
            throw new IOException("snapshot " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            LogEntryCodec.decode(request.getMessage().getContent().toByteArray());
        } catch (LogEntryDecodeException e) {
            trx.setException(e);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto logEntry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(logEntry);
        byte[] data = logEntry.getStateMachineLogEntry().getLogData().toByteArray();
        LogEntry entry;
        ApplyOutcome outcome;
        try {
            entry = LogEntryCodec.decode(data);
        } catch (LogEntryDecodeException e) {
            // startTransaction screens entries, so this means a corrupt log or a newer writer.
            // Every replica reads the same bytes and rejects them the same way.
            synchronized (lock) {
                updateLastAppliedTermIndex(termIndex);
            }
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(
                    StateMessages.encodeOutcome(new ApplyOutcome.Rejected("undecodable entry: " + e.getMessage())))));
        }
        synchronized (lock) {
            outcome = chain.apply(entry);
            updateLastAppliedTermIndex(termIndex);
        }
        for (ReplicaEvents l : listeners) {
            l.onApplied(entry, outcome, termIndex.getIndex());
        }
        return CompletableFuture.completedFuture(
                Message.valueOf(ByteString.copyFrom(StateMessages.encodeOutcome(outcome))));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        StateQuery q;
        try {
            q = StateMessages.decodeQuery(request.getContent().toByteArray());
        } catch (LogEntryDecodeException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] reply = switch (q) {
            case StateQuery.Latest l -> StateMessages.encodeLatest(latest());
            case StateQuery.CommittedIn c -> StateMessages.encodeCommittedIn(committedIn(c.updateId()));
            case StateQuery.Chain c -> StateMessages.encodeChain(checkpoints());
        };
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
    }

    /** The latest applied checkpoint on this replica. */
    public Optional<CheckpointCommitted> latest() {
        synchronized (lock) {
            return chain.latest();
        }
    }

    /** The applied checkpoint of {@code version}, if this replica has applied it. */
    public Optional<CheckpointCommitted> checkpoint(long version) {
        synchronized (lock) {
            return chain.checkpoint(version);
        }
    }

    public OptionalLong committedIn(String updateId) {
        synchronized (lock) {
            return chain.committedIn(updateId);
        }
    }

    public List<CheckpointCommitted> checkpoints() {
        synchronized (lock) {
            return chain.checkpoints();
        }
    }

    public SortedMap<String, String> settings() {
        synchronized (lock) {
            return chain.settings();
        }
    }

    /** How many snapshots the leader installed on this replica since start. */
    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        String leader = newLeaderId == null ? "" : newLeaderId.toString();
        listeners.forEach(l -> l.onLeaderChanged(leader));
        if (!groupMemberId.getPeerId().equals(newLeaderId)) {
            listeners.forEach(ReplicaEvents::onNotLeader);
        }
    }

    @Override
    public void notifyLeaderReady() {
        listeners.forEach(ReplicaEvents::onLeaderReady);
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        listeners.forEach(ReplicaEvents::onNotLeader);
    }

    @Override
    public void notifyExtendedNoLeader(RaftProtos.RoleInfoProto roleInfoProto) {
        listeners.forEach(ReplicaEvents::onExtendedNoLeader);
    }

    @Override
    public void notifySnapshotInstalled(RaftProtos.InstallSnapshotResult result, long snapshotIndex, RaftPeer peer) {
        if (result == RaftProtos.InstallSnapshotResult.SUCCESS || result == RaftProtos.InstallSnapshotResult.SNAPSHOT_INSTALLED) {
            snapshotsInstalled.incrementAndGet();
        }
    }
}
