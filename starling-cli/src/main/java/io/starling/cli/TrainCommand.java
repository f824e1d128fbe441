package io.starling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.starling.core.data.Dataset;
import io.starling.core.data.TrainTestSplit;
import io.starling.core.model.Metrics;
import io.starling.core.model.Model;
import io.starling.core.model.ModelFactory;
import io.starling.core.model.OptimizerKind;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainListener;
import io.starling.core.model.TrainResult;
import io.starling.core.model.nn.Kernels;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling train}: centralised training of a built-in model on a train/test split — the
 * baseline every federated run is compared with. Evaluates on the test split after each epoch.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a built-in model on one machine and report test accuracy (the centralised baseline).",
        footer = {"%nExamples:",
                "  starling train --model mlp --epochs 3",
                "  starling train --data ~/mnist --model mlp --hidden 256,128 --epochs 5 --json",
                "  starling train --data iris.csv --header --label-column 4 --model logreg --epochs 50"})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--model", defaultValue = "mlp", paramLabel = "SPEC",
            description = "logreg, mlp, mlp:H1,H2,... or cnn-lenet5 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--hidden", split = ",", paramLabel = "H",
            description = "hidden layer sizes for --model mlp, e.g. 128 or 256,128 (default: 128)")
    List<Integer> hidden;

    @Option(names = "--epochs", defaultValue = "3", description = "passes over the training data (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.05", description = "learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adam",
            description = "update rule: SGD with momentum, or Adam (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum in [0, 1) (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "L2 weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "seed for initialisation, shuffling and CSV splits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = config();
        String modelSpec = modelSpec();
        TrainTestSplit split = dataOptions.load(seed);
        Dataset train = split.train();
        Dataset test = split.test();
        int classes = train.numClasses();
        Model net = ModelFactory.builtIn().create(modelSpec, train.featureDim(), classes, seed);

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d train / %,d test examples, %d features, %d classes%n",
                    net.spec(), net.paramCount(), dataOptions.data, train.size(), test.size(), train.featureDim(), classes);
            out.flush();
        }
        List<TrainReport.Epoch> history = new ArrayList<>();
        SplittableRandom epochSeeds = new SplittableRandom(seed);
        long totalSamples = 0;
        long trainNanos = 0;
        double lastTrainLoss = Double.NaN;
        Metrics metrics = null;
        boolean showProgress = !json && Terminal.isInteractive();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            TrainResult r;
            try (Progress progress = Progress.open(showProgress, "epoch " + epoch + "/" + epochs, train.size())) {
                r = net.train(train, config.withSeed(epochSeeds.nextLong()),
                        (done, total, samples) -> progress.stepTo(samples));
            }
            long nanos = System.nanoTime() - start;
            trainNanos += nanos;
            totalSamples += r.samples();
            lastTrainLoss = r.loss();
            metrics = net.evaluate(test);
            double seconds = nanos / 1e9;
            TrainReport.Epoch e = new TrainReport.Epoch(epoch, r.loss(), metrics.accuracy(), metrics.loss(),
                    r.samples() / seconds, seconds);
            history.add(e);
            if (!json) {
                out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  test loss %.4f  test accuracy %.4f  %,.0f samples/s%n",
                        epoch, epochs, e.trainLoss(), e.testLoss(), e.testAccuracy(), e.samplesPerSecond());
                out.flush();
            }
        }
        double trainSeconds = trainNanos / 1e9;
        TrainReport report = new TrainReport(net.spec(), net.paramCount(),
                new TrainReport.DataInfo(dataOptions.data, dataOptions.resolvedFormat(), train.size(), test.size(),
                        train.featureDim(), classes),
                new TrainReport.ConfigInfo(epochs, batchSize, config.optimizer().id(), learningRate, momentum,
                        weightDecay, seed),
                metrics.accuracy(), metrics.loss(), lastTrainLoss, totalSamples / trainSeconds, trainSeconds,
                Kernels.active().name(), history);
        if (json) {
            out.println(JSON.writeValueAsString(report));
        } else {
            out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%,.0f samples/s with %s kernels, %.1f s training)%n",
                    report.testAccuracy(), epochs, report.samplesPerSecond(), report.kernels(), trainSeconds);
        }
        out.flush();
        return StarlingCli.EXIT_OK;
    }

    /** The model spec from {@code --model} and {@code --hidden}. */
    String modelSpec() {
        String m = model.strip();
        if (hidden == null || hidden.isEmpty()) {
            return m;
        }
        if (!m.equalsIgnoreCase("mlp")) {
            throw new IllegalArgumentException("--hidden applies only to --model mlp (got --model " + model
                    + "); for explicit layers write --model mlp:H1,H2");
        }
        return "mlp:" + String.join(",", hidden.stream().map(String::valueOf).toList());
    }

    private TrainConfig config() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        OptimizerKind kind;
        try {
            kind = OptimizerKind.parse(optimizer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--optimizer: " + e.getMessage(), e);
        }
        return new TrainConfig(1, 0, batchSize, learningRate, momentum, weightDecay, seed, kind);
    }

    /** A progress bar (on standard error) for one epoch on a terminal, or nothing. */
    private interface Progress extends AutoCloseable {
        void stepTo(long samples);

        @Override
        void close();

        static Progress open(boolean show, String task, long totalSamples) {
            if (!show) {
                return new Progress() {
                    @Override
                    public void stepTo(long samples) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSamples)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" samples", 1).showSpeed().build();
            return new Progress() {
                @Override
                public void stepTo(long samples) {
                    bar.stepTo(samples);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        }
    }
}
