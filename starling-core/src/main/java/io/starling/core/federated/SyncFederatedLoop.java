package io.starling.core.federated;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.data.Dataset;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Synchronous federated learning in one process, no network: per round, sample
 * {@code C * clients} clients without replacement, train each from the global model, aggregate
 * their models with any {@link AggregationRule}, evaluate on the test set. With
 * {@link io.starling.core.aggregate.FedAvg} this is McMahan et al.'s FedAvg.
 *
 * <p>Single-threaded and deterministic: one seed fixes client sampling and every local training
 * call, so a run replays exactly. Clients train one after another on one reused model instance,
 * which is what a round costs on a single core.
 */
public final class SyncFederatedLoop {
    private final FederatedSetup setup;
    private final AggregationRule rule;
    private final SyncConfig config;
    private final Adversary adversary;

    public SyncFederatedLoop(FederatedSetup setup, AggregationRule rule, SyncConfig config) {
        this(setup, rule, config, Adversary.none());
    }

    /** A run in which the {@code adversary}'s clients submit corrupted models. */
    public SyncFederatedLoop(FederatedSetup setup, AggregationRule rule, SyncConfig config, Adversary adversary) {
        if (setup == null || rule == null || config == null || adversary == null) {
            throw new IllegalArgumentException("setup, rule, config and adversary must not be null");
        }
        for (int client : adversary.clients()) {
            if (client < 0 || client >= setup.clients().size()) {
                throw new IllegalArgumentException("Byzantine client " + client + " is not one of the "
                        + setup.clients().size() + " clients");
            }
        }
        this.setup = setup;
        this.rule = rule;
        this.config = config;
        this.adversary = adversary;
    }

    public FederatedHistory run() {
        return run(report -> { });
    }

    /** Runs every round, handing each round's report to {@code onRound} as it completes. */
    public FederatedHistory run(Consumer<RoundReport> onRound) {
        List<Dataset> clients = setup.clients();
        int perRound = config.clientsPerRound(clients.size());
        SplittableRandom random = new SplittableRandom(config.seed());
        Model worker = setup.model().copy();
        ParamVector global = setup.model().params();
        int[] pool = new int[clients.size()];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i;
        }
        List<RoundReport> reports = new ArrayList<>();
        long updates = 0;
        for (int round = 1; round <= config.rounds(); round++) {
            List<Contribution> contributions = new ArrayList<>(perRound);
            double lossSum = 0;
            for (int s = 0; s < perRound; s++) {
                int pick = s + random.nextInt(pool.length - s);
                int client = pool[pick];
                pool[pick] = pool[s];
                pool[s] = client;
                Dataset data = clients.get(client);
                worker.setParams(global);
                TrainResult result = worker.train(data, config.local().withSeed(random.nextLong()));
                lossSum += result.loss();
                ParamVector trained = worker.params();
                if (adversary.controls(client)) {
                    trained = adversary.attack().corrupt(global, trained, random);
                }
                contributions.add(Contribution.ofClient(trained, data.size()));
            }
            global = rule.aggregate(global, contributions);
            updates += perRound;
            worker.setParams(global);
            Metrics metrics = worker.evaluate(setup.test());
            RoundReport report = new RoundReport(round, updates, metrics.accuracy(), metrics.loss(),
                    lossSum / perRound, 0);
            reports.add(report);
            onRound.accept(report);
        }
        return new FederatedHistory(reports);
    }
}
