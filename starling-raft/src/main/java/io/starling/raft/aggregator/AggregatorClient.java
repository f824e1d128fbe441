package io.starling.raft.aggregator;

import io.starling.raft.history.HistoryRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A federated client's side of the replicated aggregator: it keeps an update until some replica
 * acknowledges it, finds the leader through any replica's hint, and resends to the next leader
 * after a failover. Resending is safe because the aggregator is idempotent by update id.
 * Every submit, resend and ack is recorded to the history when one is given.
 */
public final class AggregatorClient {
    private final String clientId;
    private final Map<String, AggregatorEndpoint> endpoints = new ConcurrentHashMap<>();
    private final long attemptTimeoutMs;
    private final long retryBackoffMs;
    private final HistoryRecorder history;
    private final LongSupplier clockMs;
    private volatile String leaderGuess;
    private volatile String lastFailed;

    /**
     * @param attemptTimeoutMs how long to wait for one replica's ack before resending
     * @param retryBackoffMs pause between attempts when no leader is known
     * @param history where to record operations, or null
     */
    public AggregatorClient(String clientId, List<? extends AggregatorEndpoint> replicas, long attemptTimeoutMs,
                            long retryBackoffMs, HistoryRecorder history, LongSupplier clockMs) {
        this.clientId = clientId;
        replicas.forEach(this::putEndpoint);
        this.attemptTimeoutMs = attemptTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.history = history;
        this.clockMs = clockMs;
    }

    /** Adds or replaces the endpoint of a replica (after a restart, or a membership change). */
    public void putEndpoint(AggregatorEndpoint endpoint) {
        endpoints.put(endpoint.replicaId(), endpoint);
    }

    public void removeEndpoint(String replicaId) {
        endpoints.remove(replicaId);
    }

    /**
     * Submits {@code update} and resends it until a replica acknowledges it or {@code deadlineMs}
     * passes.
     *
     * @throws AckTimeoutException if no acknowledgement arrived in time (the update may still be
     *     absorbed later; resubmitting it is safe)
     * @throws UpdateRejectedException if the update will never be absorbed: malformed, or
     *     {@linkplain UpdateRejectedException#isStale() too stale} (train again on the latest model
     *     and submit the result under a new id); it is not resent
     */
    public UpdateAck submitUntilAcked(ClientUpdate update, long timeoutMs) throws InterruptedException {
        long deadline = clockMs.getAsLong() + timeoutMs;
        int attempt = 0;
        List<String> failures = new ArrayList<>();
        while (clockMs.getAsLong() < deadline) {
            AggregatorEndpoint target = pickTarget(attempt);
            if (target == null) {
                Thread.sleep(retryBackoffMs);
                attempt++;
                continue;
            }
            if (history != null) {
                if (attempt == 0) {
                    history.submit(clientId, update.updateId(), target.replicaId());
                } else {
                    history.resend(clientId, update.updateId(), target.replicaId());
                }
            }
            attempt++;
            long wait = Math.max(1, Math.min(attemptTimeoutMs, deadline - clockMs.getAsLong()));
            try {
                UpdateAck ack = target.submit(update).get(wait, TimeUnit.MILLISECONDS);
                if (history != null) {
                    history.ack(clientId, ack.updateId(), ack.version());
                }
                leaderGuess = target.replicaId();
                lastFailed = null;
                return ack;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UpdateRejectedException rejected) {
                    throw rejected;
                }
                if (cause instanceof NotLeaderException nle) {
                    Optional<String> hint = nle.leaderHint().filter(h -> !h.equals(target.replicaId()));
                    leaderGuess = hint.orElse(null);
                    lastFailed = target.replicaId();
                    if (hint.isEmpty()) {
                        Thread.sleep(retryBackoffMs);
                    }
                } else {
                    lastFailed = target.replicaId();
                    leaderGuess = null;
                    Thread.sleep(retryBackoffMs);
                }
                remember(failures, target.replicaId() + ": " + cause);
            } catch (TimeoutException e) {
                leaderGuess = null;
                lastFailed = target.replicaId();
                remember(failures, target.replicaId() + ": no ack within " + wait + " ms");
            }
        }
        throw new AckTimeoutException(update.updateId(), timeoutMs, failures);
    }

    private static void remember(List<String> failures, String what) {
        if (failures.size() >= 8) {
            failures.removeFirst();
        }
        failures.add(what);
    }

    private AggregatorEndpoint pickTarget(int attempt) {
        String guess = leaderGuess;
        if (guess != null && endpoints.containsKey(guess)) {
            return endpoints.get(guess);
        }
        for (AggregatorEndpoint e : endpoints.values()) {
            if (e.replicaId().equals(lastFailed)) {
                continue;
            }
            Optional<String> hint = e.leaderHint();
            if (hint.isPresent() && endpoints.containsKey(hint.get()) && !hint.get().equals(lastFailed)) {
                leaderGuess = hint.get();
                return endpoints.get(hint.get());
            }
        }
        List<AggregatorEndpoint> all = new ArrayList<>(endpoints.values());
        return all.isEmpty() ? null : all.get(Math.floorMod(attempt, all.size()));
    }
}
