package io.starling.raft.history;

import io.starling.raft.log.CheckpointCommitted;
import java.util.List;

/**
 * One operation in a run's history, in the style of Jepsen: what a client did (submit, resend,
 * saw an ack) and what a replica did (committed a checkpoint, restored from a snapshot, reported
 * its final chain). {@link HistoryChecker} verifies the invariants over a whole history.
 *
 * @param seq position in the recorder's file (assigned by {@link HistoryRecorder})
 * @param timeMs wall-clock time of recording, for humans reading a failure
 * @param type what happened
 * @param process the client or replica id that did it
 * @param updateId the client update concerned ({@code SUBMIT}, {@code RESEND}, {@code ACK}), else null
 * @param target the replica a client sent to ({@code SUBMIT}, {@code RESEND}), else null
 * @param version the acknowledged version ({@code ACK}), else -1
 * @param checkpoints the committed checkpoint ({@code COMMIT}, one), the restored or final chain
 *     ({@code RESTORE}, {@code FINAL}), else empty
 */
public record HistoryEvent(long seq, long timeMs, Type type, String process, String updateId, String target,
                           long version, List<Checkpoint> checkpoints) {

    /** Kinds of recorded operation. */
    public enum Type { SUBMIT, RESEND, ACK, COMMIT, RESTORE, FINAL }

    /** The parts of a checkpoint the checker compares. */
    public record Checkpoint(long version, long parentVersion, String digest, List<String> updateIds) {
        public Checkpoint {
            updateIds = List.copyOf(updateIds);
        }

        public static Checkpoint of(CheckpointCommitted c) {
            return new Checkpoint(c.version(), c.parentVersion(), c.digest(), c.includedUpdateIds());
        }
    }

    public HistoryEvent {
        checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
    }

    static HistoryEvent client(Type type, String client, String updateId, String target, long version) {
        return new HistoryEvent(-1, 0, type, client, updateId, target, version, List.of());
    }

    static HistoryEvent replica(Type type, String replica, List<Checkpoint> checkpoints) {
        return new HistoryEvent(-1, 0, type, replica, null, null, -1, checkpoints);
    }

    HistoryEvent stamped(long seq, long timeMs) {
        return new HistoryEvent(seq, timeMs, type, process, updateId, target, version, checkpoints);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append('#').append(seq).append(' ').append(type).append(' ').append(process);
        if (updateId != null) {
            sb.append(" update=").append(updateId);
        }
        if (target != null) {
            sb.append(" to=").append(target);
        }
        if (version >= 0) {
            sb.append(" version=").append(version);
        }
        if (checkpoints.size() == 1) {
            Checkpoint c = checkpoints.getFirst();
            sb.append(" checkpoint=").append(c.version()).append("<-").append(c.parentVersion())
                    .append(' ').append(c.digest(), 0, 12).append(" ids=").append(c.updateIds());
        } else if (!checkpoints.isEmpty()) {
            sb.append(" chain=0..").append(checkpoints.getLast().version());
        }
        return sb.toString();
    }
}
