package io.starling.raft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.net.fault.FaultInjector;
import io.starling.net.fault.FaultRule;
import io.starling.raft.fault.RaftFaultInjection.Point;
import java.lang.reflect.Field;
import java.util.Set;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Drives the hooks exactly as Ratis' {@code RaftServerImpl} does: {@code execute(point,
 * receiverId, senderId, ...)} at the top of each inbound request. {@code PartitionTest} shows the
 * same layer cutting real Ratis servers apart.
 */
@InstallsRaftFaultHook
class RaftFaultInjectionTest {
    private static final RaftPeerId A = RaftPeerId.valueOf("a");
    private static final RaftPeerId B = RaftPeerId.valueOf("b");
    private static final RaftPeerId C = RaftPeerId.valueOf("c");

    private final FaultInjector faults = new FaultInjector(7);
    private RaftFaultInjection injection;

    @AfterEach
    void uninstall() {
        if (injection != null) {
            injection.close();
        }
        assertThat(RaftFaultInjection.isAnyInstalled()).as("a Raft fault hook left installed").isFalse();
    }

    /** Ratis keeps these names package-private; a Ratis upgrade that renames them fails here. */
    @ParameterizedTest
    @EnumSource(Point.class)
    void eachPointCarriesTheNameRatisUses(Point point) throws Exception {
        Class<?> server = Class.forName("org.apache.ratis.server.impl.RaftServerImpl");
        Field field = server.getDeclaredField(point.name());
        field.setAccessible(true);

        assertThat(field.get(null)).isEqualTo(point.ratisName());
    }

    @ParameterizedTest
    @EnumSource(Point.class)
    void withoutRulesEveryRequestPasses(Point point) {
        injection = RaftFaultInjection.install(faults);

        assertThat(deliver(point, A, B)).isFalse();
        assertThat(injection.droppedRequests()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Point.class)
    void aDropRuleFailsRequestsFromTheSenderAtTheReceiver(Point point) {
        injection = RaftFaultInjection.install(faults);
        faults.add(FaultRule.drop("a", "b"));

        assertThatThrownBy(() -> deliver(point, A, B))
                .isInstanceOf(LinkCutException.class)
                .hasMessageContaining("from a to b")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        assertThat(injection.droppedRequests()).isEqualTo(1);
    }

    @Test
    void aOneWayCutLeavesTheOtherDirectionAndOtherPeersAlone() {
        injection = RaftFaultInjection.install(faults);
        faults.add(FaultRule.drop("a", "b"));

        assertThat(deliver(Point.APPEND_ENTRIES, B, A)).isFalse();
        assertThat(deliver(Point.APPEND_ENTRIES, A, C)).isFalse();
        assertThat(deliver(Point.APPEND_ENTRIES, C, B)).isFalse();
    }

    @Test
    void isolatingAReplicaCutsBothDirectionsUntilHealed() {
        injection = RaftFaultInjection.install(faults);
        faults.partition(Set.of("a"), Set.of("b", "c"));

        assertThatThrownBy(() -> deliver(Point.REQUEST_VOTE, A, B)).isInstanceOf(LinkCutException.class);
        assertThatThrownBy(() -> deliver(Point.APPEND_ENTRIES, C, A)).isInstanceOf(LinkCutException.class);
        assertThat(deliver(Point.REQUEST_VOTE, B, C)).isFalse();

        faults.clear();
        assertThat(deliver(Point.REQUEST_VOTE, A, B)).isFalse();
        assertThat(deliver(Point.APPEND_ENTRIES, C, A)).isFalse();
    }

    @Test
    void aDelayRuleHoldsTheRequestThenLetsItThrough() {
        injection = RaftFaultInjection.install(faults);
        faults.add(FaultRule.delay("a", "b", 120));

        long startNanos = System.nanoTime();
        boolean faulted = deliver(Point.APPEND_ENTRIES, A, B);
        long heldMs = (System.nanoTime() - startNanos) / 1_000_000;

        assertThat(faulted).isTrue();
        assertThat(heldMs).isGreaterThanOrEqualTo(120);
        assertThat(injection.delayedRequests()).isEqualTo(1);
        assertThat(injection.droppedRequests()).isZero();
    }

    @Test
    void requestsWithoutAKnownSenderAreNotFaulted() {
        injection = RaftFaultInjection.install(faults);
        faults.isolate("b");

        assertThat(CodeInjectionForTesting.execute(Point.APPEND_ENTRIES.ratisName(), B, null)).isFalse();
    }

    @Test
    void onlyOneInstanceCanBeInstalledAtATime() {
        injection = RaftFaultInjection.install(faults);

        assertThatThrownBy(() -> RaftFaultInjection.install(new FaultInjector(8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already installed");
    }

    @Test
    void closingRemovesTheHooksSoRulesNoLongerApply() {
        injection = RaftFaultInjection.install(faults);
        faults.isolate("a");
        injection.close();

        assertThat(injection.isInstalled()).isFalse();
        assertThat(deliver(Point.REQUEST_VOTE, A, B)).isFalse();
        RaftFaultInjection next = RaftFaultInjection.install(faults);
        try {
            assertThat(next.isInstalled()).isTrue();
            assertThatThrownBy(() -> deliver(Point.REQUEST_VOTE, A, B)).isInstanceOf(LinkCutException.class);
        } finally {
            next.close();
        }
    }

    /** Delivers one request from {@code from} to {@code to} the way Ratis calls the hook. */
    private static boolean deliver(Point point, RaftPeerId from, RaftPeerId to) {
        return CodeInjectionForTesting.execute(point.ratisName(), to, from, "request");
    }
}
