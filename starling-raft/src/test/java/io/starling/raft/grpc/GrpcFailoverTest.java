package io.starling.raft.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A leader stops while a client submits over gRPC: the client follows the new leader. */
@Timeout(120)
class GrpcFailoverTest {
    @TempDir
    Path tmp;

    private GrpcReplicaGroup group;
    private final List<GrpcAggregatorEndpoint> endpoints = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        endpoints.forEach(GrpcAggregatorEndpoint::close);
        if (group != null) {
            group.close();
        }
    }

    private GrpcAggregatorEndpoint endpoint(String id) {
        GrpcAggregatorEndpoint e = group.endpoint(id);
        endpoints.add(e);
        return e;
    }

    private static ClientUpdate update(String client, int round, float value) {
        float[] w = new float[GrpcReplicaGroup.DIM];
        Arrays.fill(w, value);
        return new ClientUpdate(client + "/" + round, client, 0, ParamVector.wrap(w), 10, 0.5);
    }

    @Test
    void aClientFollowsTheNewLeaderWhenTheOldOneStopsAndLosesNoAcknowledgedUpdate() throws Exception {
        group = new GrpcReplicaGroup(3, tmp).startAll();
        String leader = group.awaitLeader().replica().replicaId();
        AggregatorClient client = new AggregatorClient("c6", List.of(endpoint("r0"), endpoint("r1"), endpoint("r2")),
                3_000, 50, null, System::currentTimeMillis);
        List<String> acked = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            acked.add(client.submitUntilAcked(update("c6", round, 1f), 20_000).updateId());
        }
        group.stop(leader);
        for (int round = 3; round < 6; round++) {
            acked.add(client.submitUntilAcked(update("c6", round, 1f), 30_000).updateId());
        }

        String next = group.awaitLeader().replica().replicaId();
        assertThat(next).isNotEqualTo(leader);
        assertThat(group.replica(next).chain().stream().flatMap(c -> c.includedUpdateIds().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(acked);
    }
}
