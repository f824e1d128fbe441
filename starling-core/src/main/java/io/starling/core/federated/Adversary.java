package io.starling.core.federated;

import java.util.Set;

/**
 * Which clients are Byzantine in a run and how they attack. {@link #none()} for an honest
 * federation.
 *
 * @param clients indices of the Byzantine clients
 * @param attack what they send instead of their honest models
 */
public record Adversary(Set<Integer> clients, ByzantineAttack attack) {
    public Adversary {
        clients = Set.copyOf(clients);
        if (!clients.isEmpty() && attack == null) {
            throw new IllegalArgumentException("Byzantine clients need an attack");
        }
    }

    /** No Byzantine clients. */
    public static Adversary none() {
        return new Adversary(Set.of(), null);
    }

    public boolean controls(int client) {
        return clients.contains(client);
    }
}
