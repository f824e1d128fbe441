package io.starling.cli.demo;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.raft.aggregator.AckTimeoutException;
import io.starling.raft.aggregator.AggregatorClient;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import io.starling.raft.aggregator.UpdateRejectedException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One federated client of the demo: its own partition, its own model instance and its own
 * {@link AggregatorClient}. Each round it takes the latest committed model, trains one local
 * epoch, and submits the result until a committed checkpoint includes it; the aggregator client
 * keeps the update and resends it to the next leader when the leader dies. An update refused as
 * too stale (its base fell more than {@code maxStaleness} versions behind, e.g. while a failover
 * held it back) is dropped and the client trains again on the latest model. Returns the number of
 * acknowledged updates.
 */
public final class DemoClient implements Callable<Integer> {
    private static final long SUBMIT_TIMEOUT_MS = 60_000;

    private final String clientId;
    private final Dataset data;
    private final Model model;
    private final TrainConfig trainConfig;
    private final AggregatorClient aggregator;
    private final DemoCluster cluster;
    private final BooleanSupplier stopped;
    private final Consumer<AckRecord> acks;
    private final Narrator narrator;

    public DemoClient(String clientId, Dataset data, Model model, TrainConfig trainConfig, AggregatorClient aggregator,
                      DemoCluster cluster, BooleanSupplier stopped, Consumer<AckRecord> acks, Narrator narrator) {
        this.clientId = clientId;
        this.data = data;
        this.model = model;
        this.trainConfig = trainConfig;
        this.aggregator = aggregator;
        this.cluster = cluster;
        this.stopped = stopped;
        this.acks = acks;
        this.narrator = narrator;
    }

    @Override
    public Integer call() throws InterruptedException {
        int acked = 0;
        for (int round = 0; !stopped.getAsBoolean(); round++) {
            Optional<CommittedModel> base = cluster.latestModel();
            if (base.isEmpty()) {
                Thread.sleep(100);
                round--;
                continue;
            }
            model.setParams(base.get().params());
            TrainResult result = model.train(data, trainConfig.withSeed(trainConfig.seed() * 1_000_003L + round));
            ClientUpdate update = new ClientUpdate(clientId + "/" + round, clientId, base.get().version(),
                    model.params(), data.size(), result.loss());
            UpdateAck ack;
            try {
                ack = submit(update);
            } catch (UpdateRejectedException e) {
                if (!e.isStale()) {
                    throw e;
                }
                narrator.say("%s: %s refused as too stale, training again on the latest model", clientId,
                        update.updateId());
                continue;
            }
            if (ack == null) {
                return acked;
            }
            acks.accept(new AckRecord(clientId, ack.updateId(), ack.version(), narrator.elapsedS()));
            acked++;
        }
        return acked;
    }

    /** Submits until acknowledged; an ack timeout only means "not yet", so the same update is resent. */
    private UpdateAck submit(ClientUpdate update) throws InterruptedException {
        while (true) {
            try {
                return aggregator.submitUntilAcked(update, SUBMIT_TIMEOUT_MS);
            } catch (AckTimeoutException e) {
                if (stopped.getAsBoolean()) {
                    return null;
                }
                narrator.say("%s: %s not acknowledged yet, resending (%s)", clientId, update.updateId(), e.getMessage());
            }
        }
    }
}
