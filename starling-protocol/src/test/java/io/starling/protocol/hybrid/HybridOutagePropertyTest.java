package io.starling.protocol.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.async.AsyncConfig;
import io.starling.protocol.async.AsyncServer;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class HybridOutagePropertyTest {
    static final NodeId SERVER = NodeId.of("server");

    @Property(tries = 20, seed = "20261123")
    void everyClientFallsBackDuringAnOutageAndEveryReturnIsMergedOnce(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 3 + random.nextInt(8);
        long timeoutMs = 200 + random.nextInt(400);
        long outageStart = 1_000 + random.nextInt(2_000);
        long outageEnd = outageStart + 4 * timeoutMs + random.nextInt(3_000);

        PullTrainer trainer = new PullTrainer(0.3);
        InMemoryNetwork net = new InMemoryNetwork(trainer, 5 + random.nextInt(20));
        AggregationRule rule = AggregationRules.parse("fedbuff:k=2,lr=1");
        AsyncServer server = net.add(new AsyncServer(SERVER, AsyncConfig.forRule("t", 1, rule, 10), ParamVector.of(0),
                rule, AggregationRules.parse("doubly-weighted:lambda=0.5")));
        HybridConfig config = new HybridConfig(new ClientConfig("t", SERVER, 1, TrainConfig.defaults(), timeoutMs),
                new GossipConfig("t", 1, 150, TrainConfig.defaults(), new CyclonConfig(3, 2, 300)), 250);
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(NodeId.of("c" + i));
        }
        List<HybridClient> clients = new ArrayList<>();
        for (NodeId id : ids) {
            trainer.target(id, 1 + random.nextInt(20), (float) random.nextDouble());
            net.setTrainingMs(id, 20 + random.nextInt(150));
            clients.add(net.add(new HybridClient(id, config, ParamVector.of(0),
                    AggregationRules.parse("doubly-weighted:lambda=0.5"), SplittableRng.seeded(random.nextLong()), ids)));
        }
        net.at(outageStart, () -> net.setUnreachable(SERVER, true));
        net.at(outageEnd, () -> net.setUnreachable(SERVER, false));
        net.startAll();
        net.runUntil(outageEnd + 3_000);

        int reconnections = 0;
        for (HybridClient c : clients) {
            List<Observation.ModeChanged> changes = net.observations(c.id(), Observation.ModeChanged.class);
            assertThat(changes).as("seed %d: %s fell back", seed, c.id())
                    .anyMatch(m -> m.to().equals(HybridState.FALLBACK.name()));
            for (int i = 1; i < changes.size(); i++) {
                assertThat(changes.get(i).from()).as("seed %d: mode changes alternate", seed)
                        .isEqualTo(changes.get(i - 1).to());
            }
            reconnections += (int) changes.stream().filter(m -> m.to().equals(HybridState.CONNECTED.name())).count();
            assertThat(c.state()).as("seed %d: %s back with the aggregator", seed, c.id()).isEqualTo(HybridState.CONNECTED);
        }
        assertThat(net.observations(SERVER, Observation.ModelMerged.class)).as("seed %d", seed).hasSize(reconnections);
        List<Action.ModelCommitted> commits = net.commits(SERVER);
        for (int i = 0; i < commits.size(); i++) {
            assertThat(commits.get(i).version()).as("seed %d", seed).isEqualTo(i + 1);
        }
    }
}
