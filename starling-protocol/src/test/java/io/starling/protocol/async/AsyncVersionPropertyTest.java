package io.starling.protocol.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.NodeId;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.client.AggregatorClient;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.message.GlobalModel;
import io.starling.protocol.testkit.InMemoryNetwork;
import io.starling.protocol.testkit.PullTrainer;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AsyncVersionPropertyTest {
    static final NodeId SERVER = NodeId.of("server");

    @Property(tries = 30, seed = "20261123")
    void versionsAdvanceByOneAndNoClientIsEverSentAnOlderModel(@ForAll long seed,
                                                               @ForAll @IntRange(min = 1, max = 4) int bufferSize) {
        SplittableRandom random = new SplittableRandom(seed);
        PullTrainer trainer = new PullTrainer(0.5);
        InMemoryNetwork net = new InMemoryNetwork(trainer, 5);
        AggregationRule rule = AggregationRules.parse("fedbuff:k=" + bufferSize + ",lr=1");
        net.add(new AsyncServer(SERVER, AsyncConfig.forRule("t", 1, rule, 3), ParamVector.of(0), rule));
        int clients = 2 + random.nextInt(6);
        for (int i = 0; i < clients; i++) {
            NodeId c = NodeId.of("c" + i);
            trainer.target(c, 1 + random.nextInt(20), (float) random.nextDouble());
            net.setTrainingMs(c, 10 + random.nextInt(300));
            net.add(new AggregatorClient(c, new ClientConfig("t", SERVER, 1, TrainConfig.defaults(), 500),
                    SplittableRng.seeded(random.nextLong())));
        }
        net.startAll();
        net.runUntil(3_000);

        List<Action.ModelCommitted> commits = net.commits(SERVER);
        assertThat(commits).as("seed %d", seed).isNotEmpty();
        for (int i = 0; i < commits.size(); i++) {
            assertThat(commits.get(i).version()).as("seed %d", seed).isEqualTo(i + 1);
        }
        for (int i = 0; i < clients; i++) {
            NodeId c = NodeId.of("c" + i);
            List<Long> versions = net.sends(SERVER).stream().filter(s -> s.to().equals(c))
                    .filter(s -> s.message() instanceof GlobalModel)
                    .map(s -> ((GlobalModel) s.message()).version()).toList();
            assertThat(versions).as("seed %d, client %s", seed, c).isSorted();
        }
    }
}
