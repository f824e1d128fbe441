package io.starling.raft.state;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntry;
import io.starling.raft.log.LogEntryCodec;
import io.starling.raft.log.LogEntryDecodeException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Wire forms of the state machine's replies and queries (everything except log entries, which
 * {@link LogEntryCodec} owns). Same conventions: a format byte first, big endian, strict decode
 * with {@link LogEntryDecodeException}.
 */
public final class StateMessages {
    private static final byte FORMAT = 1;
    private static final byte OUTCOME_APPLIED = 1;
    private static final byte OUTCOME_ALREADY = 2;
    private static final byte OUTCOME_REJECTED = 3;
    private static final byte Q_LATEST = 1;
    private static final byte Q_COMMITTED_IN = 2;
    private static final byte Q_CHAIN = 3;
    /** Upper bound on checkpoints in one chain reply. */
    public static final int MAX_CHAIN = 1 << 20;

    private StateMessages() {
    }

    public static byte[] encodeOutcome(ApplyOutcome outcome) {
        return write(out -> {
            switch (outcome) {
                case ApplyOutcome.Applied a -> out.writeByte(OUTCOME_APPLIED);
                case ApplyOutcome.AlreadyApplied a -> {
                    out.writeByte(OUTCOME_ALREADY);
                    out.writeLong(a.version());
                }
                case ApplyOutcome.Rejected r -> {
                    out.writeByte(OUTCOME_REJECTED);
                    writeUtf(out, r.reason().length() > 4000 ? r.reason().substring(0, 4000) : r.reason());
                }
            }
        });
    }

    public static ApplyOutcome decodeOutcome(byte[] bytes) {
        ByteBuffer buf = open(bytes);
        try {
            return switch (buf.get()) {
                case OUTCOME_APPLIED -> ApplyOutcome.applied();
                case OUTCOME_ALREADY -> new ApplyOutcome.AlreadyApplied(buf.getLong());
                case OUTCOME_REJECTED -> new ApplyOutcome.Rejected(readUtf(buf));
                default -> throw unknown("apply outcome");
            };
        } catch (BufferUnderflowException e) {
            throw truncated(e);
        }
    }

    public static byte[] encodeQuery(StateQuery query) {
        return write(out -> {
            switch (query) {
                case StateQuery.Latest l -> out.writeByte(Q_LATEST);
                case StateQuery.CommittedIn c -> {
                    out.writeByte(Q_COMMITTED_IN);
                    writeUtf(out, c.updateId());
                }
                case StateQuery.Chain c -> out.writeByte(Q_CHAIN);
            }
        });
    }

    public static StateQuery decodeQuery(byte[] bytes) {
        ByteBuffer buf = open(bytes);
        try {
            StateQuery q = switch (buf.get()) {
                case Q_LATEST -> new StateQuery.Latest();
                case Q_COMMITTED_IN -> new StateQuery.CommittedIn(readUtf(buf));
                case Q_CHAIN -> new StateQuery.Chain();
                default -> throw unknown("query");
            };
            return q;
        } catch (BufferUnderflowException e) {
            throw truncated(e);
        } catch (IllegalArgumentException e) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.INVALID_FIELD, e.getMessage(), e);
        }
    }

    public static byte[] encodeLatest(Optional<CheckpointCommitted> latest) {
        return encodeChain(latest.map(List::of).orElse(List.of()));
    }

    public static Optional<CheckpointCommitted> decodeLatest(byte[] bytes) {
        List<CheckpointCommitted> one = decodeChain(bytes);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.getFirst());
    }

    public static byte[] encodeCommittedIn(OptionalLong version) {
        return write(out -> out.writeLong(version.orElse(-1)));
    }

    public static OptionalLong decodeCommittedIn(byte[] bytes) {
        ByteBuffer buf = open(bytes);
        try {
            long v = buf.getLong();
            return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
        } catch (BufferUnderflowException e) {
            throw truncated(e);
        }
    }

    /** A list of entries, each length-prefixed; also the body of a snapshot file. */
    public static byte[] encodeEntries(List<? extends LogEntry> entries) {
        return write(out -> {
            out.writeInt(entries.size());
            for (LogEntry e : entries) {
                byte[] b = LogEntryCodec.encode(e);
                out.writeInt(b.length);
                out.write(b);
            }
        });
    }

    public static List<LogEntry> decodeEntries(byte[] bytes) {
        ByteBuffer buf = open(bytes);
        try {
            int n = buf.getInt();
            if (n < 0 || n > MAX_CHAIN) {
                throw new LogEntryDecodeException(LogEntryDecodeException.Reason.LIMIT_EXCEEDED,
                        "entry list declares " + n + " entries, limit " + MAX_CHAIN);
            }
            List<LogEntry> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                int len = buf.getInt();
                if (len < 0 || len > buf.remaining()) {
                    throw new BufferUnderflowException();
                }
                out.add(LogEntryCodec.decode(buf.slice(buf.position(), len)));
                buf.position(buf.position() + len);
            }
            if (buf.hasRemaining()) {
                throw new LogEntryDecodeException(LogEntryDecodeException.Reason.TRAILING_BYTES,
                        buf.remaining() + " unexpected bytes after the entry list");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw truncated(e);
        }
    }

    public static byte[] encodeChain(List<CheckpointCommitted> chain) {
        return encodeEntries(chain);
    }

    public static List<CheckpointCommitted> decodeChain(byte[] bytes) {
        List<CheckpointCommitted> out = new ArrayList<>();
        for (LogEntry e : decodeEntries(bytes)) {
            if (!(e instanceof CheckpointCommitted c)) {
                throw new LogEntryDecodeException(LogEntryDecodeException.Reason.INVALID_FIELD,
                        "a chain reply holds a non-checkpoint entry " + e.getClass().getSimpleName());
            }
            out.add(c);
        }
        return out;
    }

    private interface Body {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer open(byte[] bytes) {
        if (bytes.length == 0) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.EMPTY, "state machine message is empty");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.UNSUPPORTED_FORMAT,
                    "state machine message format " + format + " is not supported");
        }
        return buf;
    }

    private static void writeUtf(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(Math.min(b.length, 0xFFFF));
        out.write(b, 0, Math.min(b.length, 0xFFFF));
    }

    private static String readUtf(ByteBuffer buf) {
        int len = Short.toUnsignedInt(buf.getShort());
        if (len > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static LogEntryDecodeException unknown(String what) {
        return new LogEntryDecodeException(LogEntryDecodeException.Reason.UNKNOWN_TYPE, "unknown " + what + " tag");
    }

    private static LogEntryDecodeException truncated(Throwable cause) {
        return new LogEntryDecodeException(LogEntryDecodeException.Reason.TRUNCATED,
                "state machine message is truncated", cause);
    }
}
