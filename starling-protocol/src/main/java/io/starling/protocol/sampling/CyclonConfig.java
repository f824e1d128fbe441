package io.starling.protocol.sampling;

import static io.starling.protocol.InvalidConfigException.require;

/**
 * Settings of {@link CyclonSampler}.
 *
 * @param viewSize c: descriptors each node keeps
 * @param shuffleLength l: descriptors exchanged per shuffle, in [1, c]
 * @param periodMs time between a node's shuffles
 */
public record CyclonConfig(int viewSize, int shuffleLength, long periodMs) {
    public CyclonConfig {
        require(viewSize >= 1 && viewSize <= 128, "viewSize", viewSize, "between 1 and 128");
        require(shuffleLength >= 1 && shuffleLength <= viewSize, "shuffleLength", shuffleLength,
                "between 1 and viewSize (" + viewSize + ")");
        require(periodMs > 0, "periodMs", periodMs, "> 0 milliseconds");
    }

    /** The usual choice: view of 20, shuffle 5 (Voulgaris et al. use c = 20..50, l = 5..8). */
    public static CyclonConfig defaults(long periodMs) {
        return new CyclonConfig(20, 5, periodMs);
    }
}
