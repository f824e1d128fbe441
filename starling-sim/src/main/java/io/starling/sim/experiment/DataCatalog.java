package io.starling.sim.experiment;

import io.starling.core.data.Dataset;
import io.starling.core.data.TrainTestSplit;
import java.util.List;

/**
 * Resolves the data names an experiment config uses ({@code data.source}, {@code data.partition}).
 * {@link #checkSource} runs before the run starts and throws {@link ConfigException} naming the key
 * or the missing file.
 */
public interface DataCatalog {
    /** Throws if {@code source} is unknown or names a file that does not exist. */
    void checkSource(String source, java.nio.file.Path baseDir, String path);

    /** Throws if {@code partition} is not a partitioner spec. */
    void checkPartition(String partition, String path);

    /** Loads {@code source}; relative file names resolve against {@code baseDir}. */
    TrainTestSplit load(String source, java.nio.file.Path baseDir, long seed);

    /** Row indices of {@code train} for each of {@code clients} devices. */
    List<int[]> partition(String partition, Dataset train, int clients, long seed);
}
