package io.starling.raft.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CatchUpLogAppenderTest {
    @Property
    void aReplyAboveTheMatchIndexKeepsRatisChoice(@ForAll @LongRange(min = 0, max = 1_000) long requestFirst,
                                                  @ForAll @LongRange(min = -1, max = 1_000) long match,
                                                  @ForAll @LongRange(min = 0, max = 1_000) long reply,
                                                  @ForAll @LongRange(min = 0, max = 1_000) long ratis) {
        Assume.that(reply > match);
        assertThat(CatchUpLogAppender.nextIndexForInconsistency(requestFirst, reply, match, ratis)).isEqualTo(ratis);
    }

    @Property
    void aReplyThatContradictsTheMatchIndexIsBelievedAndAlwaysStepsBack(
            @ForAll @LongRange(min = 1, max = 1_000) long requestFirst,
            @ForAll @LongRange(min = 0, max = 1_000) long match,
            @ForAll @LongRange(min = 0, max = 1_000) long reply) {
        Assume.that(reply <= match);
        long next = CatchUpLogAppender.nextIndexForInconsistency(requestFirst, reply, match, match + 1);
        assertThat(next).isNotNegative().isLessThan(requestFirst).isLessThanOrEqualTo(reply);
    }

    @Test
    void aFollowerWithAWipedLogIsSentTheLogFromTheStart() {
        // RATIS-2523: the leader believes index 41 is held; the empty follower asks for index 0.
        assertThat(CatchUpLogAppender.nextIndexForInconsistency(42, 0, 41, 42)).isZero();
    }

    @Test
    void aFollowerWithADivergentTailIsWalkedBackToTheCommonPrefix() {
        // RATIS-2605: a heartbeat made the leader believe index 12 is held; the follower's entry 10
        // is from an old term, so it asks for index 10 again and again while Ratis insists on 13.
        assertThat(CatchUpLogAppender.nextIndexForInconsistency(11, 10, 12, 13)).isEqualTo(10);
    }
}
