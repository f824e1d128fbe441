package io.starling.node.replicated;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.param.ParamVector;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the newest model a node holds on the test split, on its own thread every
 * {@code periodMs}, skipping versions already evaluated; status and metrics read the result.
 */
final class ModelEvaluation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelEvaluation.class);

    /** A model and the version it belongs to. */
    record Versioned(long version, ParamVector params) {
    }

    private final Model model;
    private final Dataset test;
    private final Supplier<Optional<Versioned>> latest;
    private final ScheduledExecutorService thread;
    private volatile double accuracy = -1;
    private volatile long evaluatedVersion = -1;

    ModelEvaluation(String nodeId, Model template, Dataset test, Supplier<Optional<Versioned>> latest, long periodMs) {
        this.model = template.copy();
        this.test = test;
        this.latest = latest;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "evaluate-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::evaluateNewest, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    double accuracy() {
        return accuracy;
    }

    long evaluatedVersion() {
        return evaluatedVersion;
    }

    private void evaluateNewest() {
        try {
            Optional<Versioned> v = latest.get();
            if (v.isEmpty() || v.get().version() == evaluatedVersion) {
                return;
            }
            model.setParams(v.get().params());
            accuracy = model.evaluate(test).accuracy();
            evaluatedVersion = v.get().version();
            log.info("version {}: test accuracy {}", evaluatedVersion, String.format(Locale.ROOT, "%.4f", accuracy));
        } catch (RuntimeException e) {
            log.warn("cannot evaluate the newest model: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
