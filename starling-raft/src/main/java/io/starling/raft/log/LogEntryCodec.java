package io.starling.raft.log;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * Compact binary form of {@link LogEntry}: {@code [format version][type tag][fields...]}, big
 * endian, strings as {@code u16 length + UTF-8}, digests as 32 raw bytes. The format byte lets a
 * later release change the layout while still reading old logs and snapshots.
 *
 * <p>Decoding is strict: every count is checked against the entry's limits before allocating,
 * every string must be valid UTF-8, map keys must be strictly ascending (one canonical encoding per
 * entry), trailing bytes are an error, and the decoded record's own validation runs. Failures are {@link LogEntryDecodeException} with a {@link
 * LogEntryDecodeException.Reason}.
 */
public final class LogEntryCodec {
    /** The layout this class writes. */
    public static final byte FORMAT_V1 = 1;

    private static final byte TAG_CHECKPOINT = 1;
    private static final byte TAG_TERM_KEY = 2;
    private static final byte TAG_CONFIG = 3;
    private static final int DIGEST_BYTES = 32;

    private LogEntryCodec() {
    }

    public static byte[] encode(LogEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_V1);
            switch (entry) {
                case CheckpointCommitted c -> {
                    out.writeByte(TAG_CHECKPOINT);
                    out.writeLong(c.version());
                    out.writeLong(c.parentVersion());
                    out.write(HexFormat.of().parseHex(c.digest()));
                    out.writeLong(c.modelBytes());
                    writeString(out, c.proposer());
                    out.writeInt(c.includedUpdateIds().size());
                    for (String id : c.includedUpdateIds()) {
                        writeString(out, id);
                    }
                    out.writeShort(c.metrics().size());
                    for (var m : c.metrics().entrySet()) {
                        writeString(out, m.getKey());
                        out.writeDouble(m.getValue());
                    }
                }
                case TermKeyAnnounced k -> {
                    out.writeByte(TAG_TERM_KEY);
                    out.writeLong(k.term());
                    byte[] key = k.publicKey();
                    out.writeShort(key.length);
                    out.write(key);
                }
                case ConfigChanged c -> {
                    out.writeByte(TAG_CONFIG);
                    out.writeShort(c.settings().size());
                    for (var s : c.settings().entrySet()) {
                        writeString(out, s.getKey());
                        writeString(out, s.getValue());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    public static LogEntry decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** Decodes the remaining bytes of {@code buf}, which must hold exactly one entry. */
    public static LogEntry decode(ByteBuffer buf) {
        if (!buf.hasRemaining()) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.EMPTY, "log entry is empty");
        }
        byte format = buf.get();
        if (format != FORMAT_V1) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.UNSUPPORTED_FORMAT,
                    "log entry format " + format + " is not supported (this release reads format " + FORMAT_V1
                            + "); upgrade Starling on this replica");
        }
        try {
            LogEntry entry = switch (buf.get()) {
                case TAG_CHECKPOINT -> decodeCheckpoint(buf);
                case TAG_TERM_KEY -> decodeTermKey(buf);
                case TAG_CONFIG -> decodeConfig(buf);
                default -> throw new LogEntryDecodeException(LogEntryDecodeException.Reason.UNKNOWN_TYPE,
                        "unknown log entry type tag " + buf.get(buf.position() - 1));
            };
            if (buf.hasRemaining()) {
                throw new LogEntryDecodeException(LogEntryDecodeException.Reason.TRAILING_BYTES,
                        buf.remaining() + " unexpected bytes after the log entry");
            }
            return entry;
        } catch (BufferUnderflowException e) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.TRUNCATED,
                    "log entry is truncated", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.INVALID_FIELD,
                    "log entry has an invalid field: " + e.getMessage(), e);
        }
    }

    private static CheckpointCommitted decodeCheckpoint(ByteBuffer buf) {
        long version = buf.getLong();
        long parent = buf.getLong();
        byte[] digest = new byte[DIGEST_BYTES];
        buf.get(digest);
        long modelBytes = buf.getLong();
        String proposer = readString(buf);
        int ids = buf.getInt();
        requireCount("update ids", ids, CheckpointCommitted.MAX_UPDATE_IDS);
        List<String> updateIds = new ArrayList<>(ids);
        for (int i = 0; i < ids; i++) {
            updateIds.add(readString(buf));
        }
        int metricCount = Short.toUnsignedInt(buf.getShort());
        requireCount("metrics", metricCount, CheckpointCommitted.MAX_METRICS);
        TreeMap<String, Double> metrics = new TreeMap<>();
        for (int i = 0; i < metricCount; i++) {
            String name = readString(buf);
            requireAscending("metric names", metrics.isEmpty() ? null : metrics.lastKey(), name);
            metrics.put(name, buf.getDouble());
        }
        return new CheckpointCommitted(version, parent, HexFormat.of().formatHex(digest), modelBytes, updateIds,
                proposer, metrics);
    }

    private static TermKeyAnnounced decodeTermKey(ByteBuffer buf) {
        long term = buf.getLong();
        int len = Short.toUnsignedInt(buf.getShort());
        requireCount("public key bytes", len, TermKeyAnnounced.MAX_KEY_BYTES);
        byte[] key = new byte[len];
        buf.get(key);
        return new TermKeyAnnounced(term, key);
    }

    private static ConfigChanged decodeConfig(ByteBuffer buf) {
        int n = Short.toUnsignedInt(buf.getShort());
        requireCount("settings", n, ConfigChanged.MAX_SETTINGS);
        TreeMap<String, String> settings = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String key = readString(buf);
            requireAscending("setting keys", settings.isEmpty() ? null : settings.lastKey(), key);
            settings.put(key, readString(buf));
        }
        return new ConfigChanged(settings);
    }

    /** Maps are written sorted; anything else is not a canonical encoding and is refused. */
    private static void requireAscending(String what, String previous, String next) {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new IllegalArgumentException(what + " must be strictly ascending, got '" + previous + "' before '"
                    + next + "'");
        }
    }

    private static void requireCount(String what, int count, int max) {
        if (count < 0 || count > max) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.LIMIT_EXCEEDED,
                    "log entry declares " + Integer.toUnsignedString(count) + " " + what + ", more than the limit " + max);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + utf8.length + " UTF-8 bytes is too long for a log entry");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer buf) {
        int len = Short.toUnsignedInt(buf.getShort());
        if (len > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer slice = buf.slice(buf.position(), len);
        buf.position(buf.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new LogEntryDecodeException(LogEntryDecodeException.Reason.INVALID_FIELD,
                    "log entry holds a string that is not valid UTF-8", e);
        }
    }
}
