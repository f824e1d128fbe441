package io.starling.sim.bench;

import io.starling.sim.experiment.ExperimentConfig;
import io.starling.sim.experiment.ExperimentResult;
import io.starling.sim.experiment.ExperimentRunner;
import io.starling.sim.experiment.ProgressListener;
import io.starling.sim.testing.TestExperiments;
import java.nio.file.Path;

public final class PerfSmoke {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        double dur = Double.parseDouble(args[1]);
        String yaml = """
                name: perf
                seed: 1
                durationS: %s
                reportIntervalS: 600
                data: {source: blobs, partition: iid}
                model: {spec: logreg}
                checkInvariants: false
                devicesCount: %d
                modes: [{name: %s}]
                devices: {generator: {computeMedianSamplesPerS: %s}}
                """.formatted(dur, n, args[2], args[3]).replace("devicesCount: " + n + "\n", "").replace("devices: {generator:", "devices: {count: " + n + ", generator:");
        ExperimentRunner r = new ExperimentRunner(new io.starling.sim.testing.BlobsCatalog(), io.starling.sim.experiment.CoreModelCatalog.builtIn(), io.starling.sim.modes.BuiltInModes.registry());
        ExperimentConfig c = r.configLoader().validate(r.configLoader().parse(yaml, "perf"), Path.of("."));
        long t0 = System.nanoTime();
        ExperimentResult res = r.run(c, Path.of("."), ProgressListener.NONE);
        double s = (System.nanoTime() - t0) / 1e9;
        long ev = res.modes().get(0).events();
        System.out.printf("devices=%d events=%d wall=%.1fs events/s=%.0f heapUsedMB=%d acc=%.3f%n", n, ev, s, ev / s,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20, res.modes().get(0).last().testAccuracy());
    }
}
