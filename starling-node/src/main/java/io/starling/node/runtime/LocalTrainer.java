package io.starling.node.runtime;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.TrainResult;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains on this node's local data on a worker thread, so the protocol thread never blocks on
 * compute. One training at a time, in request order.
 */
public final class LocalTrainer implements AutoCloseable {
    private final Model model;
    private final Dataset data;
    private final ExecutorService worker;
    private final AtomicLong samplesTrained = new AtomicLong();

    public LocalTrainer(Model template, Dataset data, String nodeId) {
        this.model = template.copy();
        this.data = data;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "training-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    public int localSamples() {
        return data.size();
    }

    public long samplesTrained() {
        return samplesTrained.get();
    }

    /** Trains a copy of the requested base model and returns the event that reports it. */
    public CompletableFuture<Event.TrainingDone> train(Action.StartTraining request) {
        return CompletableFuture.supplyAsync(() -> {
            model.setParams(request.base());
            TrainResult result = model.train(data, request.config());
            samplesTrained.addAndGet(result.samples());
            return new Event.TrainingDone(request.requestId(), model.params(), result);
        }, worker);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
