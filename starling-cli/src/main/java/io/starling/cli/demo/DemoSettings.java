package io.starling.cli.demo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What one {@code starling demo} run does. Validated once, here, so the orchestrator never starts a
 * process for a run that cannot work.
 *
 * @param replicas aggregator-eligible replicas, each its own JVM: 3 or 5 (a Raft group needs a
 *     majority to survive a crash)
 * @param clients federated clients, each with its own Dirichlet partition of mnist10k
 * @param durationS seconds of training after the first leader is elected
 * @param kills how many times the serving leader is SIGKILLed, evenly spread over the run
 * @param outageS seconds during which every replica is down (SIGKILLed together before the leader
 *     kills, then restarted on their data directories); the clients learn by gossip meanwhile. 0: no outage
 * @param fallbackTimeoutMs a client that gets no model from a serving leader for this long after
 *     joining or sending an update switches to gossip learning with the other clients
 * @param restart whether a killed replica is started again (with its data directory) after
 *     {@code restartDelayMs}
 * @param restartDelayMs pause between a kill and the restart of the killed replica
 * @param seed seed of the model initialisation, the partition and the clients' shuffling
 * @param model built-in model spec ({@code logreg}, {@code mlp}, {@code mlp:64}, ...)
 * @param partition partitioner spec, {@code dirichlet:0.5} by default
 * @param out folder for the report (CSV, JSON, HTML) and the replicas' logs and histories
 */
public record DemoSettings(int replicas, int clients, int durationS, int kills, int outageS, long fallbackTimeoutMs,
                           boolean restart, long restartDelayMs, long seed, String model, String partition, Path out) {
    /** The defaults of {@code ./starling demo}: under two minutes on two cores. */
    public static final int DEFAULT_REPLICAS = 3;
    public static final int DEFAULT_CLIENTS = 6;
    public static final int DEFAULT_DURATION_S = 60;
    public static final int DEFAULT_KILLS = 1;
    public static final int DEFAULT_OUTAGE_S = 10;
    public static final long DEFAULT_FALLBACK_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_SEED = 7;
    public static final String DEFAULT_MODEL = "mlp:64";
    public static final String DEFAULT_PARTITION = "dirichlet:0.5";
    public static final long DEFAULT_RESTART_DELAY_MS = 3_000;

    public DemoSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(out, "out");
        if (replicas != 3 && replicas != 5) {
            throw new DemoSettingsException("--replicas " + replicas + ": a Raft group needs 3 or 5 replicas "
                    + "(an odd number, so a majority survives the crash of a minority); use --replicas 3 or 5");
        }
        if (clients < 1 || clients > 64) {
            throw new DemoSettingsException("--clients " + clients + ": use 1 to 64 clients");
        }
        if (durationS < 5 || durationS > 3_600) {
            throw new DemoSettingsException("--duration-s " + durationS + ": use 5 to 3600 seconds");
        }
        if (kills < 0 || kills > 20) {
            throw new DemoSettingsException("--kills " + kills + ": use 0 to 20 leader kills");
        }
        int tolerated = (replicas - 1) / 2;
        if (!restart && kills > tolerated) {
            throw new DemoSettingsException("--kills " + kills + " with --no-restart would leave fewer than a majority "
                    + "of " + replicas + " replicas alive; kill at most " + tolerated + " or let killed replicas restart");
        }
        if (fallbackTimeoutMs < 500 || fallbackTimeoutMs > 60_000) {
            throw new DemoSettingsException("--fallback-timeout-ms " + fallbackTimeoutMs + ": use 500 to 60000 ms");
        }
        if (outageS < 0 || outageS > 600) {
            throw new DemoSettingsException("--outage-s " + outageS + ": use 0 (no outage) to 600 seconds");
        }
        if (outageS > 0 && outageS * 1000L <= fallbackTimeoutMs) {
            throw new DemoSettingsException("--outage-s " + outageS + " is not longer than the fallback timeout of "
                    + fallbackTimeoutMs + " ms: the clients would never switch to gossip; give a longer outage or a "
                    + "shorter --fallback-timeout-ms");
        }
        if (phases() > 1 && durationS / phases() < 3) {
            throw new DemoSettingsException("--kills " + kills + (outageS > 0 ? " and an outage" : "")
                    + " in --duration-s " + durationS + " leave less than 3 s between them; give a longer duration "
                    + "or fewer kills");
        }
        if (restartDelayMs < 0) {
            throw new DemoSettingsException("restart delay must be >= 0 ms, got " + restartDelayMs);
        }
    }

    /** Whether every replica goes down for a while. */
    public boolean hasOutage() {
        return outageS > 0;
    }

    /**
     * Seconds of training, with the aggregator group up, after which every replica is killed:
     * the outage comes first, while the model still improves (so the gossip between the clients
     * has something to learn), and the leader kills after it; they split the training time evenly.
     */
    public double outageAtS() {
        return durationS / (double) phases();
    }

    /** Seconds of training, with the aggregator group up, after which kill {@code k} (0-based) happens. */
    public double killAtS(int k) {
        return durationS * (k + 1.0 + (outageS > 0 ? 1 : 0)) / phases();
    }

    /** Stretches of training between the kills and the outage. */
    private int phases() {
        return kills + 1 + (outageS > 0 ? 1 : 0);
    }
}
