package io.starling.sim.experiment;

import io.starling.core.data.Dataset;
import java.util.List;
import java.util.Objects;

/**
 * The data of an experiment: a test split and, per device, which rows of which dataset it holds.
 * Pooled sources (MNIST, CSV) give every device index rows into one shared training set;
 * naturally federated sources (FedProx synthetic) give each device its own small dataset.
 * Either way no device copies rows until it trains.
 */
public record FederatedData(Dataset test, List<Shard> shards) {
    /** Device data: {@code rows} of {@code source}. */
    public record Shard(Dataset source, int[] rows) {
        public Shard {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(rows, "rows");
        }
    }

    public FederatedData {
        Objects.requireNonNull(test, "test");
        shards = List.copyOf(shards);
        for (int i = 0; i < shards.size(); i++) {
            Dataset s = shards.get(i).source();
            if (s.featureDim() != test.featureDim() || s.numClasses() != test.numClasses()) {
                throw new IllegalArgumentException("shard " + i + " has " + s.featureDim() + " features and "
                        + s.numClasses() + " classes but the test set has " + test.featureDim() + " and "
                        + test.numClasses());
            }
        }
    }

    public int featureDim() {
        return test.featureDim();
    }

    public int numClasses() {
        return test.numClasses();
    }

    /** Every device indexes into {@code train}. */
    public static FederatedData pooled(Dataset train, Dataset test, List<int[]> rows) {
        return new FederatedData(test, rows.stream().map(r -> new Shard(train, r)).toList());
    }

    /** Device {@code i} holds all of {@code perDevice.get(i)}. */
    public static FederatedData perDevice(List<Dataset> perDevice, Dataset test) {
        return new FederatedData(test, perDevice.stream().map(d -> {
            int[] all = new int[d.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return new Shard(d, all);
        }).toList());
    }
}
