package io.starling.sim.experiment;

import io.starling.core.data.Dataset;
import io.starling.core.model.Metrics;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Observation;
import io.starling.sim.engine.NodeRole;
import io.starling.sim.engine.SimObserver;
import io.starling.sim.engine.SimulationView;
import io.starling.sim.report.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns one run into {@link ResultRow}s.
 *
 * <p>Which model is "the" model differs between modes, so accuracy is measured where learning
 * is used: on a fixed sample of probe devices (the same devices in every mode). A probe device
 * holds the more recent of its own last committed model (gossip, hybrid fallback) and the newest
 * model an aggregator committed (what it would download in sync/async FL). The row's accuracy and
 * loss are the means over probes; the version is the highest committed anywhere. Only probes'
 * and aggregators' models are retained, so memory does not grow with the device count.
 */
final class MetricsCollector implements SimObserver {
    private static final long MAX_STALENESS_BUCKET = 64;
    private final String mode;
    private final Dataset test;
    private final DeviceData data;
    private final long windowMs;
    private final Evaluator evaluator;
    private final int[] probeNodes;
    private final ParamVector[] probeModel;
    private final long[] probeAtMs;
    private ParamVector aggregatorModel;
    private long aggregatorVersion = -1;
    private long aggregatorAtMs = -1;
    private long maxVersion;
    private long commits;
    private long trainingRuns;
    private long samplesTrained;
    private final List<ResultRow> rows = new ArrayList<>();
    private final SortedMap<Long, Long> acceptedStaleness = new TreeMap<>();
    private final SortedMap<Long, Long> trainingStaleness = new TreeMap<>();


    MetricsCollector(String mode, Dataset test, DeviceData data, long windowMs, Evaluator evaluator,
                     int[] probeNodes, ParamVector initialModel) {
        this.mode = mode;
        this.test = test;
        this.data = data;
        this.windowMs = windowMs;
        this.evaluator = evaluator;
        this.probeNodes = probeNodes;
        this.probeModel = new ParamVector[probeNodes.length];
        this.probeAtMs = new long[probeNodes.length];
        this.aggregatorModel = initialModel;
        for (int k = 0; k < probeNodes.length; k++) {
            probeModel[k] = initialModel;
            probeAtMs[k] = -1;
        }
    }

    private SimulationView view;

    void attach(SimulationView v) {
        this.view = v;
    }

    @Override
    public void onCommit(int index, long version, ParamVector model, double age, long nowMs) {
        maxVersion = Math.max(maxVersion, version);
        commits++;
        if (view.spec(index).role() == NodeRole.AGGREGATOR) {
            if (version >= aggregatorVersion) {
                aggregatorVersion = version;
                aggregatorModel = model.copy();
                aggregatorAtMs = nowMs;
            }
            return;
        }
        for (int k = 0; k < probeNodes.length; k++) {
            if (probeNodes[k] == index) {
                probeModel[k] = model.copy();
                probeAtMs[k] = nowMs;
            }
        }
    }

    @Override
    public void onReport(int index, Observation observation, long nowMs) {
        if (observation instanceof Observation.UpdateAccepted a) {
            acceptedStaleness.merge(Math.min(a.staleness(), MAX_STALENESS_BUCKET), 1L, Long::sum);
        }
    }

    @Override
    public void onTrainingDone(int index, long samples, long stale, long nowMs) {
        trainingRuns++;
        samplesTrained += samples;
        if (samples > 0) {
            trainingStaleness.merge(Math.min(stale, MAX_STALENESS_BUCKET), 1L, Long::sum);
        }
    }

    @Override
    public void onTick(SimulationView v) {
        long nowMs = v.nowMs();
        double acc = 0;
        double loss = 0;
        double windowAcc = 0;
        Dataset window = data.streaming() ? data.recentWindow(nowMs, windowMs, 2_000) : null;
        for (int k = 0; k < probeNodes.length; k++) {
            ParamVector held = probeAtMs[k] > aggregatorAtMs ? probeModel[k] : aggregatorModel;
            Metrics m = evaluator.testMetrics(held, test);
            acc += m.accuracy();
            loss += m.loss();
            if (window != null) {
                windowAcc += evaluator.evaluate(held, window).accuracy();
            }
        }
        int n = probeNodes.length;
        evaluator.endReport();
        rows.add(new ResultRow(mode, nowMs / 1000.0, maxVersion, commits, acc / n, loss / n,
                window == null ? Double.NaN : windowAcc / n, v.bytesUp(), v.bytesDown(), v.energyJ(),
                v.activeDevices(), v.eventsProcessed()));
    }

    List<ResultRow> rows() {
        return rows;
    }

    /**
     * Staleness of updates as the aggregators reported accepting them, or, for modes whose nodes
     * report none (gossip), versions committed anywhere while each local training ran.
     */
    SortedMap<Long, Long> staleness() {
        return acceptedStaleness.isEmpty() ? trainingStaleness : acceptedStaleness;
    }

    long trainingRuns() {
        return trainingRuns;
    }

    long samplesTrained() {
        return samplesTrained;
    }

}
