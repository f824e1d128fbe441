package io.starling.raft.log;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A new global model version: the chain link {@code parentVersion -> version}, the SHA-256 of the
 * model blob (held by a majority of replicas before this entry was proposed), the client updates
 * it absorbed, and summary metrics.
 *
 * @param version the new version; the genesis checkpoint is version 0
 * @param parentVersion the version this one was aggregated from ({@code -1} for genesis)
 * @param digest lower-case hex SHA-256 of the encoded model ({@code ParamVector.toBytes()})
 * @param modelBytes size of the model blob, so fetchers can bound their reads
 * @param includedUpdateIds the client update ids absorbed into this version, distinct
 * @param proposer id of the Raft peer (leader) that proposed this checkpoint
 * @param metrics summary numbers (e.g. {@code samples}, {@code meanTrainLoss}), finite, sorted by name
 */
public record CheckpointCommitted(
        long version,
        long parentVersion,
        String digest,
        long modelBytes,
        List<String> includedUpdateIds,
        String proposer,
        SortedMap<String, Double> metrics) implements LogEntry {

    /** Upper bound on ids in one checkpoint; keeps every entry far below the log entry cap. */
    public static final int MAX_UPDATE_IDS = 4096;
    /** Upper bound on an update id's length in UTF-16 chars. */
    public static final int MAX_ID_CHARS = 128;
    /** Upper bound on the number of metrics. */
    public static final int MAX_METRICS = 64;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public CheckpointCommitted {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        if (parentVersion != version - 1) {
            throw new IllegalArgumentException(
                    "parentVersion must be version - 1 (" + (version - 1) + "), got " + parentVersion);
        }
        Objects.requireNonNull(digest, "digest");
        if (!SHA256_HEX.matcher(digest).matches()) {
            throw new IllegalArgumentException("digest must be 64 lower-case hex chars, got '" + digest + "'");
        }
        if (modelBytes < 0) {
            throw new IllegalArgumentException("modelBytes must be >= 0, got " + modelBytes);
        }
        includedUpdateIds = List.copyOf(includedUpdateIds);
        if (includedUpdateIds.size() > MAX_UPDATE_IDS) {
            throw new IllegalArgumentException("a checkpoint holds at most " + MAX_UPDATE_IDS
                    + " update ids, got " + includedUpdateIds.size());
        }
        Set<String> seen = new HashSet<>();
        for (String id : includedUpdateIds) {
            requireValidId(id);
            if (!seen.add(id)) {
                throw new IllegalArgumentException("update id '" + id + "' appears twice in checkpoint " + version);
            }
        }
        Objects.requireNonNull(proposer, "proposer");
        if (proposer.isEmpty() || proposer.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("proposer must have 1.." + MAX_ID_CHARS + " chars");
        }
        if (metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("at most " + MAX_METRICS + " metrics, got " + metrics.size());
        }
        TreeMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > MAX_ID_CHARS) {
                throw new IllegalArgumentException("metric names must have 1.." + MAX_ID_CHARS + " chars");
            }
            double value = Objects.requireNonNull(e.getValue(), "metric value");
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("metric '" + e.getKey() + "' must be finite, got " + value);
            }
            copy.put(e.getKey(), value);
        }
        metrics = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** Throws {@link IllegalArgumentException} unless {@code id} is a usable update id. */
    public static String requireValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("update ids must have 1.." + MAX_ID_CHARS + " chars, got "
                    + (id == null ? "null" : "'" + id + "' (" + id.length() + " chars)"));
        }
        return id;
    }

    /** The genesis checkpoint (version 0) for an initial model. */
    public static CheckpointCommitted genesis(String digest, long modelBytes, String proposer) {
        return new CheckpointCommitted(0, -1, digest, modelBytes, List.of(), proposer, new TreeMap<>());
    }
}
