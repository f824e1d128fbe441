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
 * Asynchronous federated learning in one process (FedAsync, or FedBuff with a buffer): a fixed
 * number of clients are "training" at any time, each from the global version current when it
 * started. Clients finish in a pseudo-random order drawn from the seed; a finished update is
 * {@code version_now - version_at_start} versions stale, and that staleness travels with it to
 * the rule. The finished client's slot goes to a random idle client starting from the newest
 * global model.
 *
 * <p>Training is simulated lazily: an update is computed when its client finishes, from the base
 * model captured when it started, which gives exactly what a real client would have sent.
 * Deterministic under {@link AsyncConfig#seed()}.
 */
public final class AsyncFederatedLoop {
    private final FederatedSetup setup;
    private final AggregationRule rule;
    private final AsyncConfig config;

    /** A client that has started training and not yet reported. */
    private record InFlight(int client, long baseVersion, ParamVector base, long trainSeed) {
    }

    public AsyncFederatedLoop(FederatedSetup setup, AggregationRule rule, AsyncConfig config) {
        if (setup == null || rule == null || config == null) {
            throw new IllegalArgumentException("setup, rule and config must not be null");
        }
        if (config.concurrency() > setup.clients().size()) {
            throw new IllegalArgumentException("concurrency " + config.concurrency() + " exceeds the "
                    + setup.clients().size() + " clients available");
        }
        this.setup = setup;
        this.rule = rule;
        this.config = config;
    }

    public FederatedHistory run() {
        return run(report -> { });
    }

    /** Processes every update, handing each evaluation's report to {@code onEvaluation}. */
    public FederatedHistory run(Consumer<RoundReport> onEvaluation) {
        List<Dataset> clients = setup.clients();
        SplittableRandom random = new SplittableRandom(config.seed());
        Model worker = setup.model().copy();
        ParamVector global = setup.model().params();
        long version = 0;

        List<Integer> idle = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            idle.add(i);
        }
        List<InFlight> training = new ArrayList<>();
        for (int i = 0; i < config.concurrency(); i++) {
            training.add(start(idle, random, version, global));
        }

        List<Contribution> buffer = new ArrayList<>(config.bufferSize());
        List<RoundReport> reports = new ArrayList<>();
        double lossSum = 0;
        double stalenessSum = 0;
        int sinceEval = 0;
        for (int done = 1; done <= config.totalUpdates(); done++) {
            InFlight finished = training.remove(random.nextInt(training.size()));
            Dataset data = clients.get(finished.client());
            worker.setParams(finished.base());
            TrainResult result = worker.train(data, config.local().withSeed(finished.trainSeed()));
            long staleness = version - finished.baseVersion();
            buffer.add(contribution(worker.params(), finished.base(), data.size(), staleness));
            idle.add(finished.client());
            lossSum += result.loss();
            stalenessSum += staleness;
            sinceEval++;

            boolean last = done == config.totalUpdates();
            if (buffer.size() == config.bufferSize() || last) {
                global = rule.aggregate(global, buffer);
                version++;
                buffer.clear();
            }
            if (done % config.evalEveryUpdates() == 0 || last) {
                worker.setParams(global);
                Metrics metrics = worker.evaluate(setup.test());
                RoundReport report = new RoundReport(reports.size() + 1, done, metrics.accuracy(), metrics.loss(),
                        lossSum / sinceEval, stalenessSum / sinceEval);
                reports.add(report);
                onEvaluation.accept(report);
                lossSum = 0;
                stalenessSum = 0;
                sinceEval = 0;
            }
            if (!last) {
                training.add(start(idle, random, version, global));
            }
        }
        return new FederatedHistory(reports);
    }

    private static InFlight start(List<Integer> idle, SplittableRandom random, long version, ParamVector global) {
        int client = idle.remove(random.nextInt(idle.size()));
        return new InFlight(client, version, global, random.nextLong());
    }

    private Contribution contribution(ParamVector trained, ParamVector base, int samples, long staleness) {
        return config.form() == Contribution.Form.DELTA
                ? Contribution.ofDelta(trained.minus(base), samples, staleness)
                : Contribution.ofStaleClient(trained, samples, staleness);
    }
}
