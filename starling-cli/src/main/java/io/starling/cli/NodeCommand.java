package io.starling.cli;

import io.starling.node.RunningNode;
import io.starling.node.config.NodeConfig;
import io.starling.node.config.NodeConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code starling node --config node.yaml}: runs one node until Ctrl-C or SIGTERM. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run one Starling node (aggregator, replica of the replicated aggregator, client or gossip peer) until stopped with Ctrl-C or SIGTERM. "
                + "The YAML keys are described in docs/node.md.")
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "node configuration (YAML)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig c = NodeConfigLoader.load(config);
        RunningNode node = RunningNode.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "starling-node-stop"));
        stopped.await();
        return StarlingCli.EXIT_OK;
    }
}
