package io.starling.node.runtime;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.ProtocolNode;
import io.starling.protocol.message.ProtocolMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sans-IO {@link ProtocolNode} on real time and real IO: the same state machines the
 * simulator drives. One thread owns the state machine; every event (a message from the network,
 * a timer, finished training) is queued to it, and the returned actions are carried out with a
 * {@link ScheduledExecutorService} for timers, the {@link Messenger} for sends and the
 * {@link LocalTrainer} for training. Results come back as events, so the state machine is never
 * touched by two threads.
 */
public final class ProtocolDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProtocolDriver.class);

    /** Where sends go. Completes exceptionally when the message could not be delivered. */
    public interface Messenger {
        CompletableFuture<Void> send(NodeId to, ProtocolMessage message);
    }

    /** What the node does with the actions that are not IO. */
    public interface Listener {
        void onModelCommitted(Action.ModelCommitted commit);

        void onReport(Action.Report report);
    }

    private record Timer(long generation, ScheduledFuture<?> future) {
    }

    private final ProtocolNode node;
    private final Messenger messenger;
    private final LocalTrainer trainer;
    private final Listener listener;
    private final ExecutorService loop;
    private final ScheduledExecutorService timers;
    private final Map<String, Timer> armed = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private long timerGeneration;

    /** @param trainer runs StartTraining actions; null for nodes that never train */
    public ProtocolDriver(ProtocolNode node, Messenger messenger, LocalTrainer trainer, Listener listener) {
        this.node = node;
        this.messenger = messenger;
        this.trainer = trainer;
        this.listener = listener;
        this.loop = Executors.newSingleThreadExecutor(r -> daemon(r, "protocol-" + node.id()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "timers-" + node.id()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Milliseconds since this driver started: the state machine's clock. */
    public long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Queues {@code event} for the protocol thread. */
    public void submit(Event event) {
        if (!loop.isShutdown()) {
            loop.execute(() -> dispatch(event));
        }
    }

    /** Reads protocol state on the protocol thread. */
    public <T> CompletableFuture<T> query(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, loop);
    }

    private void dispatch(Event event) {
        List<Action> actions;
        try {
            actions = node.handle(event, nowMs());
        } catch (RuntimeException e) {
            log.error("protocol state machine failed on {}; the event is dropped", event.getClass().getSimpleName(), e);
            return;
        }
        for (Action action : actions) {
            perform(action);
        }
    }

    private void perform(Action action) {
        switch (action) {
            case Action.Send s -> {
                if (!(s.message() instanceof ProtocolMessage pm)) {
                    log.error("cannot send {}: not a protocol message", s.message());
                    return;
                }
                messenger.send(s.to(), pm).whenComplete((ok, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        log.warn("{} to {} failed: {}", pm.type(), s.to(), cause.toString());
                        submit(new Event.DeliveryFailed(s.to(), pm, String.valueOf(cause.getMessage())));
                    }
                });
            }
            case Action.SetTimer t -> {
                cancel(t.key());
                long generation = ++timerGeneration;
                long delayMs = Math.max(0, t.atMs() - nowMs());
                ScheduledFuture<?> f = timers.schedule(() -> loop.execute(() -> fire(t.key(), generation)),
                        delayMs, TimeUnit.MILLISECONDS);
                armed.put(t.key(), new Timer(generation, f));
            }
            case Action.CancelTimer c -> cancel(c.key());
            case Action.StartTraining st -> {
                if (trainer == null) {
                    log.error("this node has no local data but was asked to train (request {})", st.requestId());
                    return;
                }
                trainer.train(st).whenComplete((done, error) -> {
                    if (error != null) {
                        log.error("local training {} failed", st.requestId(), error);
                    } else {
                        submit(done);
                    }
                });
            }
            case Action.ModelCommitted m -> listener.onModelCommitted(m);
            case Action.Report r -> listener.onReport(r);
        }
    }

    private void fire(String key, long generation) {
        Timer t = armed.get(key);
        if (t != null && t.generation() == generation) {
            armed.remove(key);
            dispatch(new Event.TimerFired(key));
        }
    }

    private void cancel(String key) {
        Timer t = armed.remove(key);
        if (t != null) {
            t.future().cancel(false);
        }
    }

    /** Stops the protocol thread and timers; queued events are dropped. */
    @Override
    public void close() {
        // The protocol thread first: an event it is still handling may arm a timer, which must
        // not meet a stopped timer executor; a timer firing later finds the loop stopped and is dropped.
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timers.shutdownNow();
        }
    }
}
