package io.starling.cli;

import io.starling.sim.experiment.ExperimentConfig;
import io.starling.sim.experiment.ExperimentResult;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ProgressListener;
import io.starling.sim.experiment.SimulationDefaults;
import io.starling.sim.report.ModeSummary;
import io.starling.sim.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code starling simulate}: runs an experiment config in the discrete-event simulator and writes
 * results.csv, summary.json and report.html. The config is checked completely before anything
 * runs; a bad key, value or file exits with code 2 and a one-line message.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run a simulated experiment comparing learning modes and write CSV, JSON and HTML reports.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE.yaml", description = "Experiment config (see docs/simulator.md).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for results.csv, summary.json and report.html.")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Override the config's seed.")
    Long seed;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    /** The runner to use; tests substitute one over test data. */
    static ExperimentRunner runner = SimulationDefaults.runner();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        ExperimentConfig c = runner.configLoader().load(config);
        if (seed != null) {
            c = withSeed(c, seed);
        }
        Path base = config.toAbsolutePath().getParent();
        boolean terminal = System.console() != null && !noProgress;
        ExperimentResult result;
        try (Progress progress = terminal ? new BarProgress(c) : new LineProgress(err, noProgress)) {
            result = runner.run(c, base, progress);
        }
        ReportWriter.write(out, c.name(), c.seed(), c.targetAccuracy(), result.modes());
        outWriter.println(table(ModeSummary.of(result.modes(), c.targetAccuracy())));
        outWriter.println("wrote " + out.resolve(ReportWriter.RESULTS_CSV) + ", " + ReportWriter.SUMMARY_JSON + " and "
                + ReportWriter.REPORT_HTML);
        outWriter.flush();
        return StarlingCli.EXIT_OK;
    }

    static ExperimentConfig withSeed(ExperimentConfig c, long s) {
        return new ExperimentConfig(c.name(), s, c.durationS(), c.reportIntervalS(), c.targetAccuracy(), c.evalDevices(),
                c.checkInvariants(), c.data(), c.model(), c.training(), c.devices(), c.aggregators(), c.faults(), c.modes());
    }

    static String table(java.util.List<ModeSummary> summaries) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %14s %12s %14s %9s %9s%n", "mode",
                "time to target", "MB to target", "kJ to target", "final acc", "version"));
        for (ModeSummary s : summaries) {
            sb.append(String.format(Locale.ROOT, "%-16s %14s %12s %14s %9.3f %9d%n", s.mode(),
                    s.timeToTargetS() == null ? "not reached" : String.format(Locale.ROOT, "%.0f s", s.timeToTargetS()),
                    s.bytesToTarget() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.bytesToTarget() / 1e6),
                    s.energyToTargetJ() == null ? "-" : String.format(Locale.ROOT, "%.2f", s.energyToTargetJ() / 1e3),
                    s.finalAccuracy(), s.finalVersion()));
        }
        return sb.toString().stripTrailing();
    }

    private interface Progress extends ProgressListener, AutoCloseable {
        @Override
        void close();
    }

    /** A bar over all modes' virtual seconds, with the current mode and events per wall second. */
    private static final class BarProgress implements Progress {
        private final ProgressBar bar;
        private final long durationS;
        private int currentMode = -1;
        private long modeStartNs;

        BarProgress(ExperimentConfig c) {
            durationS = (long) Math.ceil(c.durationS());
            bar = new ProgressBarBuilder().setTaskName("simulate").setInitialMax(durationS * c.modes().size())
                    .setUnit(" virtual s", 1).setStyle(ProgressBarStyle.ASCII).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        @Override
        public void onProgress(String mode, int i, int n, long virtualMs, long durationMs, long events) {
            if (i != currentMode) {
                currentMode = i;
                modeStartNs = System.nanoTime();
            }
            bar.stepTo(i * durationS + virtualMs / 1000);
            double wallS = Math.max(1e-3, (System.nanoTime() - modeStartNs) / 1e9);
            bar.setExtraMessage(String.format(Locale.ROOT, " %s t=%ds %.0f events/s", mode, virtualMs / 1000, events / wallS));
        }

        @Override
        public void onModeDone(String mode, int i, int n, long events, long wallMs) {
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Without a terminal: one line per finished mode. */
    private record LineProgress(PrintWriter err, boolean quiet) implements Progress {
        @Override
        public void onProgress(String mode, int i, int n, long virtualMs, long durationMs, long events) {
        }

        @Override
        public void onModeDone(String mode, int i, int n, long events, long wallMs) {
            if (!quiet) {
                err.printf(Locale.ROOT, "simulate: mode %d/%d %s done: %d events in %.1f s (%.0f events/s)%n", i + 1, n,
                        mode, events, wallMs / 1e3, events / Math.max(1e-3, wallMs / 1e3));
                err.flush();
            }
        }

        @Override
        public void close() {
        }
    }
}
