package io.starling.node.local;

import io.starling.node.config.ConfigException;
import io.starling.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code starling local} starts.
 *
 * @param aggregators aggregator processes: 1 for sync/async (the replicated aggregator is
 *     {@code starling demo}), 0 for gossip
 * @param clients client processes (sync/async) or gossip peers
 * @param mode sync, async or gossip
 * @param model model spec, e.g. {@code mlp:128}
 * @param partition how mnist10k's training split is cut among clients, e.g. {@code dirichlet:0.5}
 * @param targetVersions stop when the aggregator committed this many versions (gossip: when every
 *     peer trained this many times); with {@code targetAccuracy} an upper bound instead
 * @param targetAccuracy if > 0, stop as soon as every client's (peer's) latest model scores at least
 *     this on the test split, and count the run as failed when {@code targetVersions} or the timeout
 *     comes first; 0 for a fixed number of versions
 * @param timeoutS give up after this long, seconds
 * @param seed seeds partition, models and protocol randomness
 * @param workDir node configs, logs and blob stores go here
 * @param javaCommand command line that starts one node given {@code --config FILE}, e.g.
 *     {@code [java, -cp, CLASSPATH, io.starling.cli.StarlingCli, node]}
 */
public record LocalOptions(int aggregators, int clients, NodeConfig.Mode mode, String model, String partition,
                           int targetVersions, double targetAccuracy, int timeoutS, long seed, Path workDir, List<String> javaCommand) {
    public LocalOptions {
        if (mode == NodeConfig.Mode.GOSSIP && aggregators != 0) {
            throw new ConfigException("--aggregators: gossip runs without an aggregator; use --aggregators 0");
        }
        if (mode != NodeConfig.Mode.GOSSIP && aggregators != 1) {
            throw new ConfigException("--aggregators: " + mode.name().toLowerCase() + " mode runs exactly 1 aggregator here "
                    + "(a replicated aggregator group is `starling demo`), got " + aggregators);
        }
        if (clients < 1 || clients > 64) {
            throw new ConfigException("--clients must be 1..64, got " + clients);
        }
        if (targetVersions < 1) {
            throw new ConfigException("--versions must be >= 1, got " + targetVersions);
        }
        if (!(targetAccuracy >= 0 && targetAccuracy <= 1)) {
            throw new ConfigException("--target-accuracy must be in 0..1 (0 for none), got " + targetAccuracy);
        }
        if (timeoutS < 1) {
            throw new ConfigException("--timeout must be >= 1 second, got " + timeoutS);
        }
    }
}
