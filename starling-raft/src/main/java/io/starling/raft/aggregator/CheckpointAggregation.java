package io.starling.raft.aggregator;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.param.ParamVector;
import io.starling.raft.log.CheckpointCommitted;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the leader turns a batch of pending updates into the next checkpoint's model, age and
 * metrics. Pure: the same inputs give the same model on any replica.
 *
 * <ol>
 *   <li>Locally trained updates are combined with the parent model by the group's
 *       {@link AggregationRule}; the model age grows by one per update absorbed (as in the
 *       protocol core's {@code AsyncServer}).</li>
 *   <li>Gossip hand-backs ({@link ClientUpdate#isHandBack()}) are then merged with that result
 *       by {@link DoublyWeightedAveraging}: the server model weighted by {@code lambda} and its
 *       age, each gossip model by {@code 1 - lambda} and its gossip age; the new age is the
 *       largest of them ({@link DoublyWeightedAveraging#mergedAge}).</li>
 * </ol>
 * The model age is replicated in the checkpoint's metrics under {@link #AGE_METRIC}, so a new
 * leader continues from the committed age; genesis has age 0.
 */
public final class CheckpointAggregation {
    /** Metric holding the committed model's age (updates absorbed). */
    public static final String AGE_METRIC = "modelAge";
    /** Metric counting gossip hand-backs merged into a checkpoint. */
    public static final String HAND_BACKS_METRIC = "handBacks";

    /** The next checkpoint's model, its age and the metrics to commit with it. */
    public record Next(ParamVector model, double age, SortedMap<String, Double> metrics) {
    }

    private CheckpointAggregation() {
    }

    /** The age of a committed checkpoint's model; 0 for genesis (and checkpoints that predate ages). */
    public static double modelAge(CheckpointCommitted checkpoint) {
        return checkpoint.metrics().getOrDefault(AGE_METRIC, 0.0);
    }

    /**
     * @param rule combines locally trained updates
     * @param mergeBack merges gossip hand-backs
     * @param global the parent checkpoint's model
     * @param parent the parent checkpoint
     * @param batch the updates to absorb, not empty
     */
    public static Next aggregate(AggregationRule rule, DoublyWeightedAveraging mergeBack, ParamVector global,
                                 CheckpointCommitted parent, List<ClientUpdate> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint absorbs at least one update");
        }
        List<Contribution> trained = new ArrayList<>();
        List<Contribution> handBacks = new ArrayList<>();
        double samples = 0;
        double lossSum = 0;
        for (ClientUpdate u : batch) {
            if (u.isHandBack()) {
                handBacks.add(Contribution.ofPeer(u.model(), u.gossipAge().getAsDouble()));
            } else {
                long staleness = Math.max(0, parent.version() - u.baseVersion());
                trained.add(new Contribution(u.model(), u.samples(), staleness, 0, Contribution.Origin.CLIENT));
                samples += u.samples();
                lossSum += u.trainLoss() * u.samples();
            }
        }
        ParamVector model = global;
        double age = modelAge(parent);
        if (!trained.isEmpty()) {
            model = rule.aggregate(global, trained);
            age += trained.size();
        }
        if (!handBacks.isEmpty()) {
            List<Contribution> merge = new ArrayList<>(handBacks.size() + 1);
            merge.add(Contribution.ofServer(model, age));
            merge.addAll(handBacks);
            model = mergeBack.aggregate(model, merge);
            age = DoublyWeightedAveraging.mergedAge(merge);
        }
        model.requireFinite("aggregated model");
        TreeMap<String, Double> metrics = new TreeMap<>();
        if (!trained.isEmpty()) {
            metrics.put("samples", samples);
            metrics.put("meanTrainLoss", lossSum / samples);
        }
        metrics.put("updates", (double) batch.size());
        metrics.put(AGE_METRIC, age);
        if (!handBacks.isEmpty()) {
            metrics.put(HAND_BACKS_METRIC, (double) handBacks.size());
        }
        return new Next(model, age, metrics);
    }
}
