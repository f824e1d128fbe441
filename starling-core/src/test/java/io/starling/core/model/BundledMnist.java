package io.starling.core.model;

import io.starling.core.data.Mnist10k;
import io.starling.core.data.TrainTestSplit;

/**
 * The bundled digits for model tests. Formerly a private IDX reader written before
 * {@link Mnist10k} existed; now it only delegates. New tests should call {@link Mnist10k#load()}.
 */
final class BundledMnist {
    private BundledMnist() {
    }

    static TrainTestSplit load() {
        return Mnist10k.load();
    }
}
