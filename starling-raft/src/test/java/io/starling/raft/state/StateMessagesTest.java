package io.starling.raft.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.raft.log.CheckpointCommitted;
import io.starling.raft.log.LogEntryDecodeException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StateMessagesTest {
    @Test
    void outcomesRoundTrip() {
        for (ApplyOutcome o : List.of(ApplyOutcome.applied(), new ApplyOutcome.AlreadyApplied(4),
                new ApplyOutcome.Rejected("parent 3 is not the latest 5 — rejected"))) {
            assertThat(StateMessages.decodeOutcome(StateMessages.encodeOutcome(o))).isEqualTo(o);
        }
    }

    @Test
    void queriesAndRepliesRoundTrip() {
        for (StateQuery q : List.of(new StateQuery.Latest(), new StateQuery.Chain(), new StateQuery.CommittedIn("c/1"))) {
            assertThat(StateMessages.decodeQuery(StateMessages.encodeQuery(q))).isEqualTo(q);
        }
        CheckpointCommitted c = new CheckpointCommitted(2, 1, "0".repeat(64), 8, List.of("u"), "r0", new TreeMap<>());
        assertThat(StateMessages.decodeLatest(StateMessages.encodeLatest(Optional.of(c)))).contains(c);
        assertThat(StateMessages.decodeLatest(StateMessages.encodeLatest(Optional.empty()))).isEmpty();
        assertThat(StateMessages.decodeCommittedIn(StateMessages.encodeCommittedIn(OptionalLong.of(7)))).hasValue(7);
        assertThat(StateMessages.decodeCommittedIn(StateMessages.encodeCommittedIn(OptionalLong.empty()))).isEmpty();
    }

    @Test
    void anUnknownQueryTagIsATypedError() {
        assertThat(catchThrowableOfType(LogEntryDecodeException.class, () -> StateMessages.decodeQuery(new byte[] {1, 42})).reason())
                .isEqualTo(LogEntryDecodeException.Reason.UNKNOWN_TYPE);
    }
}
