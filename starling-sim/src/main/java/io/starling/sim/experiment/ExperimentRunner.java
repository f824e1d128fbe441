package io.starling.sim.experiment;

import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import io.starling.protocol.Rng;
import io.starling.protocol.SplittableRng;
import io.starling.sim.device.Availability;
import io.starling.sim.device.DeviceProfile;
import io.starling.sim.device.EnergyModel;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.engine.NodeSpec;
import io.starling.sim.engine.Simulation;
import io.starling.sim.engine.SimulationConfig;
import io.starling.sim.fault.Fault;
import io.starling.sim.fault.FaultSchedule;
import io.starling.sim.report.ModeResult;
import io.starling.sim.trace.DeviceGenerator;
import io.starling.sim.trace.DeviceTrace;
import io.starling.sim.trace.FedScaleTraceLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs an experiment: builds the data split, the devices and the fault schedule once, then runs
 * every configured mode on them, each in a fresh {@link Simulation} with the same seed, so the
 * modes see the same devices, data, availability and faults.
 */
public final class ExperimentRunner {
    private final DataCatalog dataCatalog;
    private final ModelCatalog modelCatalog;
    private final ModeRegistry modes;

    public ExperimentRunner(DataCatalog dataCatalog, ModelCatalog modelCatalog, ModeRegistry modes) {
        this.dataCatalog = dataCatalog;
        this.modelCatalog = modelCatalog;
        this.modes = modes;
    }

    /** A loader that checks configs against this runner's catalogs and modes. */
    public ConfigLoader configLoader() {
        return new ConfigLoader(dataCatalog, modelCatalog, modes);
    }

    /** The world every mode runs in. */
    private record World(List<NodeSpec> specs, int aggregatorCount, DeviceData data, FederatedData split,
                         Model template, FaultSchedule faults, int[] probes) {
    }

    public ExperimentResult run(ExperimentConfig config, Path baseDir, ProgressListener progress) {
        World world = buildWorld(config, baseDir);
        List<ModeResult> results = new ArrayList<>();
        for (int m = 0; m < config.modes().size(); m++) {
            results.add(runMode(config, world, m, progress));
        }
        return new ExperimentResult(config, results);
    }

    private World buildWorld(ExperimentConfig c, Path baseDir) {
        Rng root = SplittableRng.seeded(c.seed());
        Rng shuffleRng = root.split();
        Rng deviceRng = root.split();
        Rng probeRng = root.split();
        int devices = c.devices().count();
        FederatedData split = dataCatalog.load(c.data().source(), c.data().partition(), baseDir, devices, c.seed());
        if (split.shards().size() != devices) {
            throw new ConfigException("data.partition: produced " + split.shards().size() + " shards for " + devices
                    + " devices");
        }
        DeviceData data = new DeviceData(split.shards(), c.data().streaming(), shuffleRng);
        DeviceTrace trace = deviceTrace(c, baseDir, deviceRng);

        List<NodeSpec> specs = new ArrayList<>(c.aggregators().count() + devices);
        ExperimentConfig.Aggregators a = c.aggregators();
        DeviceProfile server = new DeviceProfile(a.computeSamplesPerS(), a.bandwidthMbps() * 125_000,
                a.bandwidthMbps() * 125_000, a.latencyMs(), EnergyModel.FREE, 0);
        for (int i = 0; i < a.count(); i++) {
            specs.add(new NodeSpec(aggregatorId(i), NodeRole.AGGREGATOR, server, Availability.ALWAYS));
        }
        for (int d = 0; d < devices; d++) {
            DeviceTrace.Entry e = trace.device(d);
            specs.add(new NodeSpec(deviceId(d), NodeRole.DEVICE, e.profile(), e.availability()));
        }
        Model template = modelCatalog.create(c.model().spec(), split.featureDim(), split.numClasses(), c.seed());
        int probeCount = Math.min(c.evalDevices(), devices);
        int[] order = new int[devices];
        for (int i = 0; i < devices; i++) {
            order[i] = i;
        }
        for (int i = 0; i < probeCount; i++) {
            int j = i + probeRng.nextInt(devices - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] probes = new int[probeCount];
        for (int i = 0; i < probeCount; i++) {
            probes[i] = a.count() + order[i];
        }
        return new World(specs, a.count(), data, split, template, faults(c), probes);
    }

    private static DeviceTrace deviceTrace(ExperimentConfig c, Path baseDir, Rng rng) {
        ExperimentConfig.Devices d = c.devices();
        return switch (d.source()) {
            case "generator" -> new DeviceGenerator(d.generator()).generate(d.count(), rng);
            case "fedscale" -> {
                ExperimentConfig.FedScale f = d.fedscale();
                yield FedScaleTraceLoader.load(baseDir.resolve(f.capacity()),
                                f.behaviour() == null ? null : baseDir.resolve(f.behaviour()))
                        .toDeviceTrace(energy(f.energy()), f.latencyMs());
            }
            case "uniform" -> {
                ExperimentConfig.Uniform u = d.uniform();
                DeviceProfile p = new DeviceProfile(u.computeSamplesPerS(), u.uplinkKbps() * 125, u.downlinkKbps() * 125,
                        u.latencyMs(), energy(u.energy()), u.batteryJ());
                yield new DeviceTrace(List.of(new DeviceTrace.Entry("uniform", p, Availability.ALWAYS)));
            }
            default -> throw new ConfigException("devices.source: expected one of generator, fedscale, uniform; got '"
                    + d.source() + "'");
        };
    }

    private static EnergyModel energy(ExperimentConfig.Energy e) {
        try {
            return new EnergyModel(e.joulesPerSample(), e.joulesPerMbSent(), e.joulesPerMbReceived(), e.idleWatts());
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("devices energy: " + ex.getMessage(), ex);
        }
    }

    static FaultSchedule faults(ExperimentConfig c) {
        List<Fault> out = new ArrayList<>();
        ExperimentConfig.Faults f = c.faults();
        for (ExperimentConfig.Outage o : f.aggregatorOutages()) {
            out.add(new Fault.AggregatorOutage(ms(o.fromS()), ms(o.toS())));
        }
        for (ExperimentConfig.Crash k : f.crashes()) {
            out.add(new Fault.NodeCrash(deviceId(k.device()), ms(k.atS()), k.recoverAtS() < 0 ? -1 : ms(k.recoverAtS()),
                    k.keepState()));
        }
        for (ExperimentConfig.PartitionSpec p : f.partitions()) {
            List<Set<NodeId>> groups = new ArrayList<>();
            for (List<Integer> g : p.groups()) {
                Set<NodeId> ids = new HashSet<>();
                g.forEach(d -> ids.add(deviceId(d)));
                groups.add(ids);
            }
            Set<NodeId> aggregators = new HashSet<>();
            for (int i = 0; i < c.aggregators().count(); i++) {
                aggregators.add(aggregatorId(i));
            }
            if (p.aggregatorGroup() < groups.size()) {
                groups.get(p.aggregatorGroup()).addAll(aggregators);
            } else {
                groups.add(aggregators);
            }
            out.add(new Fault.Partition(ms(p.fromS()), ms(p.toS()), groups));
        }
        for (ExperimentConfig.Loss l : f.messageLoss()) {
            out.add(new Fault.MessageLoss(l.rate(), ms(l.fromS()), ms(l.toS())));
        }
        return new FaultSchedule(out);
    }

    private ModeResult runMode(ExperimentConfig c, World w, int m, ProgressListener progress) {
        ExperimentConfig.Mode mode = c.modes().get(m);
        ModeBinding binding = modes.require(mode.name(), "modes[" + m + "].name");
        TrainConfig train = ConfigLoader.trainConfig(c);
        ParamVector initial = w.template().params();
        List<NodeId> aggregators = w.specs().subList(0, w.aggregatorCount()).stream().map(NodeSpec::id).toList();
        List<NodeId> devices = w.specs().subList(w.aggregatorCount(), w.specs().size()).stream().map(NodeSpec::id).toList();
        ModeParams params = new ModeParams("modes[" + m + "].params", mode.params());
        NodeFactory factory = binding.nodes(new ModeSetup(aggregators, devices, initial, train, params, c.seed()));
        params.requireAllUsed();

        long durationMs = ms(c.durationS());
        long windowMs = ms(c.data().streaming().windowS());
        MetricsCollector collector = new MetricsCollector(mode.displayName(), w.split().test(), w.data(), windowMs,
                new Evaluator(w.template().copy()), w.probes(), initial);
        Simulation sim = new Simulation(new SimulationConfig(c.seed(), durationMs, ms(c.reportIntervalS()),
                c.checkInvariants(), List.of()), w.specs(), factory,
                new DatasetTrainer(w.template().copy(), w.data(), w.aggregatorCount()), w.faults(), collector);
        collector.attach(sim);
        long wallStart = System.nanoTime();
        collector.onTick(sim); // the starting point, before any event
        sim.runUntil(durationMs, v -> progress.onProgress(mode.displayName(), m, c.modes().size(), v.nowMs(), durationMs,
                v.eventsProcessed()));
        sim.finish();
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        progress.onProgress(mode.displayName(), m, c.modes().size(), durationMs, durationMs, sim.eventsProcessed());
        progress.onModeDone(mode.displayName(), m, c.modes().size(), sim.eventsProcessed(), wallMs);
        return new ModeResult(mode.displayName(), collector.rows(), collector.staleness(), wallMs, sim.eventsProcessed(),
                collector.trainingRuns(), collector.samplesTrained());
    }

    public static NodeId aggregatorId(int i) {
        return NodeId.of("aggregator-" + i);
    }

    public static NodeId deviceId(int d) {
        return NodeId.of("device-" + d);
    }

    private static long ms(double s) {
        return Math.round(s * 1000);
    }
}
