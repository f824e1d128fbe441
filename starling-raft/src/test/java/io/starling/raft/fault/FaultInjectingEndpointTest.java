package io.starling.raft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import io.starling.net.fault.FaultInjector;
import io.starling.net.fault.FaultRule;
import io.starling.raft.aggregator.AggregatorEndpoint;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FaultInjectingEndpointTest {
    /** A replica that acknowledges everything at version 7 and names r2 as leader. */
    private static final class AckingReplica implements AggregatorEndpoint {
        final List<String> received = new ArrayList<>();

        @Override
        public String replicaId() {
            return "r1";
        }

        @Override
        public synchronized CompletableFuture<UpdateAck> submit(ClientUpdate update) {
            received.add(update.updateId());
            return CompletableFuture.completedFuture(new UpdateAck(update.updateId(), 7));
        }

        @Override
        public Optional<String> leaderHint() {
            return Optional.of("r2");
        }
    }

    private final FaultInjector faults = new FaultInjector(5);
    private final AckingReplica replica = new AckingReplica();
    private final FaultInjectingEndpoint endpoint = new FaultInjectingEndpoint("c0", replica, faults);
    private final ClientUpdate update = new ClientUpdate("c0/0", "c0", 0, ParamVector.zeros(2), 1, 0.1);

    @Test
    void withoutRulesTheReplicaAnswers() throws Exception {
        assertThat(endpoint.submit(update).get(5, TimeUnit.SECONDS)).isEqualTo(new UpdateAck("c0/0", 7));
        assertThat(endpoint.leaderHint()).contains("r2");
        assertThat(endpoint.replicaId()).isEqualTo("r1");
    }

    @Test
    void aCutTowardsTheReplicaFailsTheSubmissionBeforeItArrives() {
        faults.add(FaultRule.drop("c0", "r1"));

        assertThatThrownBy(() -> endpoint.submit(update).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LinkCutException.class);
        assertThat(replica.received).isEmpty();
        assertThat(endpoint.leaderHint()).isEmpty();
    }

    @Test
    void aCutOnTheWayBackLosesTheAckButTheReplicaGotTheUpdate() {
        faults.add(FaultRule.drop("r1", "c0"));

        assertThatThrownBy(() -> endpoint.submit(update).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(LinkCutException.class)
                .hasMessageContaining("ack of c0/0 from r1 to c0");
        assertThat(replica.received).containsExactly("c0/0");
    }

    @Test
    void aDelayedSubmissionStillArrives() throws Exception {
        faults.add(FaultRule.delay("c0", "r1", 100));

        long startNanos = System.nanoTime();
        UpdateAck ack = endpoint.submit(update).get(5, TimeUnit.SECONDS);

        assertThat(ack.version()).isEqualTo(7);
        assertThat((System.nanoTime() - startNanos) / 1_000_000).isGreaterThanOrEqualTo(100);
    }
}
