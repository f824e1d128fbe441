package io.starling.sim.experiment;

import java.nio.file.Path;

/**
 * Resolves the data names an experiment config uses ({@code data.source}, {@code data.partition}).
 * {@link #check} runs before the run starts and throws {@link ConfigException} naming the key
 * or the missing file.
 */
public interface DataCatalog {
    /**
     * Throws if {@code source} is unknown or names a file that does not exist, or if
     * {@code partition} is not a partitioner spec that fits the source.
     *
     * @param sourcePath config key of the source, for messages
     * @param partitionPath config key of the partition, for messages
     */
    void check(String source, String partition, Path baseDir, String sourcePath, String partitionPath);

    /** Loads {@code source} and splits it over {@code devices}; relative file names resolve against {@code baseDir}. */
    FederatedData load(String source, String partition, Path baseDir, int devices, long seed);
}
