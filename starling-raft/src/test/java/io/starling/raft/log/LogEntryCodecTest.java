package io.starling.raft.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LogEntryCodecTest {
    private static final String DIGEST = "ab".repeat(32);

    @Provide
    Arbitrary<LogEntry> entries() {
        Arbitrary<String> ids = Arbitraries.strings().ofMinLength(1).ofMaxLength(40).withCharRange('!', '~')
                .withChars('é', 'ß', '中');
        Arbitrary<CheckpointCommitted> checkpoints = Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE - 1),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
                Arbitraries.longs().greaterOrEqual(0),
                ids.list().uniqueElements().ofMaxSize(20),
                Arbitraries.maps(ids, Arbitraries.doubles().between(-1e12, 1e12)).ofMaxSize(5))
                .as((v, d, bytes, idList, metrics) -> new CheckpointCommitted(v, v - 1, d, bytes, idList, "r1",
                        new TreeMap<>(metrics)));
        Arbitrary<TermKeyAnnounced> keys = Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64))
                .as(TermKeyAnnounced::new);
        Arbitrary<ConfigChanged> configs = Arbitraries.maps(ids, Arbitraries.strings().ofMaxLength(20)).ofMinSize(1).ofMaxSize(5)
                .map(ConfigChanged::of);
        return Arbitraries.oneOf(checkpoints, keys, configs);
    }

    @Property(tries = 300)
    void everyEntryDecodesToItself(@ForAll("entries") LogEntry entry) {
        assertThat(LogEntryCodec.decode(LogEntryCodec.encode(entry))).isEqualTo(entry);
    }

    @Property(tries = 300)
    void everyTruncationIsATypedError(@ForAll("entries") LogEntry entry, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] bytes = LogEntryCodec.encode(entry);
        byte[] truncated = Arrays.copyOf(bytes, cut % bytes.length);
        LogEntryDecodeException e = catchThrowableOfType(LogEntryDecodeException.class, () -> LogEntryCodec.decode(truncated));
        assertThat(e).isNotNull();
    }

    @Property(tries = 300)
    void corruptedBytesNeverDecodeIntoSomethingWithoutBeingChecked(@ForAll("entries") LogEntry entry,
                                                                     @ForAll @IntRange(min = 0, max = 10_000) int at,
                                                                     @ForAll byte value) {
        byte[] bytes = LogEntryCodec.encode(entry);
        bytes[at % bytes.length] = value;
        try {
            LogEntry decoded = LogEntryCodec.decode(bytes);
            assertThat(LogEntryCodec.encode(decoded)).isEqualTo(bytes);
        } catch (LogEntryDecodeException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }

    @Test
    void anEntryFromAnUnknownFormatVersionIsRejectedWithAnUpgradeHint() {
        byte[] bytes = LogEntryCodec.encode(ConfigChanged.of(Map.of("a", "b")));
        bytes[0] = 9;

        LogEntryDecodeException e = catchThrowableOfType(LogEntryDecodeException.class, () -> LogEntryCodec.decode(bytes));

        assertThat(e.reason()).isEqualTo(LogEntryDecodeException.Reason.UNSUPPORTED_FORMAT);
        assertThat(e).hasMessageContaining("upgrade");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = LogEntryCodec.encode(new TermKeyAnnounced(3, new byte[32]));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThat(catchThrowableOfType(LogEntryDecodeException.class, () -> LogEntryCodec.decode(longer)).reason())
                .isEqualTo(LogEntryDecodeException.Reason.TRAILING_BYTES);
    }

    @Test
    void anEmptyEntryIsRejected() {
        assertThat(catchThrowableOfType(LogEntryDecodeException.class, () -> LogEntryCodec.decode(new byte[0])).reason())
                .isEqualTo(LogEntryDecodeException.Reason.EMPTY);
    }

    @Test
    void aHugeDeclaredIdCountIsRejectedBeforeAllocating() {
        CheckpointCommitted c = new CheckpointCommitted(1, 0, DIGEST, 4, List.of("u"), "r1", new TreeMap<>());
        byte[] bytes = LogEntryCodec.encode(c);
        // layout: format, tag, version(8), parent(8), digest(32), modelBytes(8), proposer(2+2) -> id count
        int countAt = 1 + 1 + 8 + 8 + 32 + 8 + 2 + 2;
        bytes[countAt] = 0x7f;

        assertThat(catchThrowableOfType(LogEntryDecodeException.class, () -> LogEntryCodec.decode(bytes)).reason())
                .isEqualTo(LogEntryDecodeException.Reason.LIMIT_EXCEEDED);
    }

    @Test
    void aCheckpointNamingAnIdTwiceIsInvalid() {
        List<String> twice = new ArrayList<>(List.of("u1", "u1"));
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new CheckpointCommitted(1, 0, DIGEST, 4, twice, "r1", new TreeMap<>())))
                .hasMessageContaining("appears twice");
    }

    @Test
    void aCheckpointWhoseParentIsNotItsPredecessorIsInvalid() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new CheckpointCommitted(5, 3, DIGEST, 4, List.of(), "r1", new TreeMap<>())))
                .hasMessageContaining("parentVersion");
    }

    @Test
    void aCheckpointEntryStaysSmallEvenWithManyIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CheckpointCommitted.MAX_UPDATE_IDS; i++) {
            ids.add("client-" + i + "/round-123456");
        }
        byte[] bytes = LogEntryCodec.encode(new CheckpointCommitted(7, 6, DIGEST, 1 << 30, ids, "r1", new TreeMap<>()));
        assertThat(bytes.length).isLessThan(256 * 1024);
    }
}
