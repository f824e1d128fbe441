package io.starling.raft.aggregator;

import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.BaseModels;
import io.starling.core.aggregate.Contribution;
import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.aggregate.StalenessBound;
import io.starling.core.param.ParamVector;
import io.starling.raft.log.CheckpointCommitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the leader turns a batch of pending updates into the next checkpoint's model, age and
 * metrics. Pure: the same inputs give the same model, byte for byte, on any replica; every input
 * is fixed by the committed chain (the parent's model, each base version's model, both
 * content-addressed blobs) and the batch in the order the checkpoint lists its update ids.
 *
 * <ol>
 *   <li>Each locally trained update enters as its delta against the model of <em>its own base
 *       version</em> ({@link BaseModels#deltaContribution}), tagged with its staleness
 *       {@code parent.version - baseVersion} under the group's {@link StalenessBound}; the group's
 *       {@link AggregationRule} applies those contributions to the parent model, discounting
 *       stale ones as the rule says (FedBuff, FedAsync staleness functions). A client that trained
 *       from an old version thus adds only its own progress and cannot drag the model back to its
 *       base. The model age grows by one per update absorbed (as in the protocol core's
 *       {@code AsyncServer}).</li>
 *   <li>Gossip hand-backs ({@link ClientUpdate#isHandBack()}) are then merged with that result
 *       by {@link DoublyWeightedAveraging}: the server model weighted by {@code lambda} and its
 *       age, each gossip model by {@code 1 - lambda} and its gossip age; the new age is the
 *       largest of them ({@link DoublyWeightedAveraging#mergedAge}). Hand-backs are whole models,
 *       not deltas, and carry no staleness bound: their age says how much they are worth.</li>
 * </ol>
 * The model age is replicated in the checkpoint's metrics under {@link #AGE_METRIC}, so a new
 * leader continues from the committed age; genesis has age 0.
 */
public final class CheckpointAggregation {
    /** Metric holding the committed model's age (updates absorbed). */
    public static final String AGE_METRIC = "modelAge";
    /** Metric holding the mean staleness (versions) of the trained updates in a checkpoint. */
    public static final String MEAN_STALENESS_METRIC = "meanStaleness";
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
     * @param rule combines locally trained updates (as deltas with staleness)
     * @param mergeBack merges gossip hand-backs
     * @param bound the staleness bound every trained update of the batch must meet
     * @param parent the parent checkpoint
     * @param global the parent checkpoint's model
     * @param bases the model of every trained update's base version
     * @param batch the updates to absorb, not empty, in the order the checkpoint will list them
     * @throws io.starling.core.aggregate.StaleUpdateException if a trained update breaks the bound
     *     (the leader refuses those before aggregating)
     * @throws IllegalArgumentException if the batch is empty or a base model is missing
     */
    public static Next aggregate(AggregationRule rule, DoublyWeightedAveraging mergeBack, StalenessBound bound,
                                 CheckpointCommitted parent, ParamVector global, Map<Long, ParamVector> bases,
                                 List<ClientUpdate> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint absorbs at least one update");
        }
        List<Contribution> trained = new ArrayList<>();
        List<Contribution> handBacks = new ArrayList<>();
        double samples = 0;
        double lossSum = 0;
        double stalenessSum = 0;
        for (ClientUpdate u : batch) {
            if (u.isHandBack()) {
                handBacks.add(Contribution.ofPeer(u.model(), u.gossipAge().getAsDouble()));
            } else {
                long staleness = bound.stalenessOf(u.baseVersion(), parent.version());
                ParamVector base = bases.get(u.baseVersion());
                if (base == null) {
                    throw new IllegalArgumentException("no base model for version " + u.baseVersion()
                            + " of update " + u.updateId());
                }
                trained.add(BaseModels.deltaContribution(u.model(), base, u.samples(), staleness));
                samples += u.samples();
                lossSum += u.trainLoss() * u.samples();
                stalenessSum += staleness;
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
            metrics.put(MEAN_STALENESS_METRIC, stalenessSum / trained.size());
        }
        metrics.put("updates", (double) batch.size());
        metrics.put(AGE_METRIC, age);
        if (!handBacks.isEmpty()) {
            metrics.put(HAND_BACKS_METRIC, (double) handBacks.size());
        }
        return new Next(model, age, metrics);
    }
}
