package io.starling.raft.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.ConfigChanged;
import io.starling.raft.log.LogEntry;
import io.starling.raft.log.TermKeyAnnounced;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CheckpointChainTest {
    private static String digest(long v) {
        return String.format("%064x", v + 1);
    }

    private static CheckpointCommitted cp(long version, String... ids) {
        return new CheckpointCommitted(version, version - 1, digest(version), 4, List.of(ids), "r0", new TreeMap<>());
    }

    @Test
    void theGenesisIsAcceptedOnlyOnAnEmptyChain() {
        CheckpointChain chain = new CheckpointChain();
        assertThat(chain.apply(cp(0))).isInstanceOf(ApplyOutcome.Applied.class);
        assertThat(chain.latestVersion()).isZero();
    }

    @Test
    void aCheckpointWhoseParentIsNotTheLatestIsRejected() {
        CheckpointChain chain = new CheckpointChain();
        chain.apply(cp(0));
        chain.apply(cp(1, "a"));

        ApplyOutcome outcome = chain.apply(cp(3, "b"));

        assertThat(outcome).isInstanceOf(ApplyOutcome.Rejected.class);
        assertThat(((ApplyOutcome.Rejected) outcome).reason()).contains("parent 2").contains("latest committed version is 1");
        assertThat(chain.latestVersion()).isEqualTo(1);
        assertThat(chain.committedIn("b")).isEmpty();
    }

    @Test
    void aSecondCheckpointForAnAlreadyCommittedVersionIsRejected() {
        CheckpointChain chain = new CheckpointChain();
        chain.apply(cp(0));
        chain.apply(cp(1, "a"));
        CheckpointCommitted competing = new CheckpointCommitted(1, 0, digest(99), 4, List.of("b"), "r2", new TreeMap<>());

        assertThat(chain.apply(competing)).isInstanceOf(ApplyOutcome.Rejected.class);
        assertThat(chain.latest().orElseThrow().includedUpdateIds()).containsExactly("a");
    }

    @Test
    void reapplyingTheSameCheckpointIsIdempotent() {
        CheckpointChain chain = new CheckpointChain();
        chain.apply(cp(0));
        chain.apply(cp(1, "a"));

        assertThat(chain.apply(cp(1, "a"))).isEqualTo(new ApplyOutcome.AlreadyApplied(1));
        assertThat(chain.checkpoints()).hasSize(2);
    }

    @Test
    void anUpdateAbsorbedEarlierCannotBeAbsorbedAgain() {
        CheckpointChain chain = new CheckpointChain();
        chain.apply(cp(0));
        chain.apply(cp(1, "a", "b"));

        ApplyOutcome outcome = chain.apply(cp(2, "c", "a"));

        assertThat(outcome).isInstanceOf(ApplyOutcome.Rejected.class);
        assertThat(chain.committedIn("a")).hasValue(1);
        assertThat(chain.committedIn("c")).isEmpty();
    }

    @Test
    void termKeysMoveForwardOnly() {
        CheckpointChain chain = new CheckpointChain();
        assertThat(chain.apply(new TermKeyAnnounced(5, new byte[] {1}))).isInstanceOf(ApplyOutcome.Applied.class);
        assertThat(chain.apply(new TermKeyAnnounced(5, new byte[] {1}))).isInstanceOf(ApplyOutcome.AlreadyApplied.class);
        assertThat(chain.apply(new TermKeyAnnounced(5, new byte[] {2}))).isInstanceOf(ApplyOutcome.Rejected.class);
        assertThat(chain.apply(new TermKeyAnnounced(4, new byte[] {3}))).isInstanceOf(ApplyOutcome.Rejected.class);
        assertThat(chain.latestTermKey().orElseThrow().term()).isEqualTo(5);
    }

    @Test
    void configChangesSetAndRemoveSettings() {
        CheckpointChain chain = new CheckpointChain();
        chain.apply(ConfigChanged.of(Map.of("rotation.termMs", "5000", "x", "1")));
        chain.apply(ConfigChanged.of(Map.of("x", "")));

        assertThat(chain.settings()).containsExactly(Map.entry("rotation.termMs", "5000"));
    }

    @Provide
    Arbitrary<List<LogEntry>> proposals() {
        Arbitrary<LogEntry> one = Arbitraries.integers().between(0, 8).flatMap(v ->
                Arbitraries.of("a", "b", "c", "d", "e", "f", "g").set().ofMaxSize(3).map(ids ->
                        (LogEntry) new CheckpointCommitted(v, v - 1, digest(v * 31L + ids.hashCode()), 4,
                                new ArrayList<>(ids), "r0", new TreeMap<>())));
        return one.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void anySequenceOfProposalsYieldsAGaplessChainAbsorbingEachUpdateOnce(@ForAll("proposals") List<LogEntry> proposals) {
        CheckpointChain chain = new CheckpointChain();
        for (LogEntry e : proposals) {
            chain.apply(e);
        }

        List<CheckpointCommitted> cps = chain.checkpoints();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cps.size(); i++) {
            assertThat(cps.get(i).version()).isEqualTo(i);
            for (String id : cps.get(i).includedUpdateIds()) {
                assertThat(seen.add(id)).as("update %s absorbed once", id).isTrue();
                assertThat(chain.committedIn(id)).hasValue(i);
            }
        }
    }

    @Property(tries = 200)
    void replayingTheSnapshotEntriesRebuildsTheSameState(@ForAll("proposals") List<LogEntry> proposals) {
        CheckpointChain chain = new CheckpointChain();
        proposals.forEach(chain::apply);
        chain.apply(new TermKeyAnnounced(2, new byte[] {7}));
        chain.apply(ConfigChanged.of(Map.of("k", "v")));

        CheckpointChain rebuilt = new CheckpointChain();
        StateMessages.decodeEntries(StateMessages.encodeEntries(chain.toEntries())).forEach(rebuilt::apply);

        assertThat(rebuilt.checkpoints()).isEqualTo(chain.checkpoints());
        assertThat(rebuilt.latestTermKey()).isEqualTo(chain.latestTermKey());
        assertThat(rebuilt.settings()).isEqualTo(chain.settings());
    }
}
