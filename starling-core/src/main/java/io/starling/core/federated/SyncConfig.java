package io.starling.core.federated;

import io.starling.core.model.TrainConfig;

/**
 * Synchronous rounds in the style of McMahan et al.: each round samples a fraction {@code C} of
 * the clients, each trains {@code local} from the current global model, and the rule aggregates
 * their models.
 *
 * @param rounds number of rounds, >= 1
 * @param clientFraction C in (0, 1]; each round trains {@code max(1, round(C * clients))} clients
 * @param local local training per client (epochs E, batch size, learning rate); its seed is
 *     replaced per client and round, derived from {@code seed}
 * @param seed seed of client sampling and local training
 */
public record SyncConfig(int rounds, double clientFraction, TrainConfig local, long seed) {
    public SyncConfig {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        if (!(clientFraction > 0 && clientFraction <= 1)) {
            throw new IllegalArgumentException("client fraction C must be in (0, 1], got " + clientFraction);
        }
        if (local == null) {
            throw new IllegalArgumentException("local training config must not be null");
        }
    }

    /** Clients trained per round out of {@code clients}. */
    public int clientsPerRound(int clients) {
        return Math.max(1, (int) Math.round(clientFraction * clients));
    }
}
