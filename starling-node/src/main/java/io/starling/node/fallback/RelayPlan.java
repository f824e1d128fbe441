package io.starling.node.fallback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The order in which a group client asks for a committed model's blob: pure choices from the
 * known sources and a seeded random generator, so tests can replay them.
 * <ul>
 *   <li>{@link #peers}: a random sample of peers for one round (random so the load spreads over
 *       the clients that hold the model, not onto the first one in a list);</li>
 *   <li>{@link #replicas}: every follower in random order, the leader last.</li>
 * </ul>
 */
final class RelayPlan {
    private RelayPlan() {
    }

    /**
     * Up to {@code count} distinct peers chosen uniformly at random, in random order.
     *
     * @param peers known peers' gRPC addresses by id (this client excluded)
     */
    static List<ModelSource> peers(Map<String, String> peers, int count, RandomGenerator rng) {
        List<ModelSource> all = new ArrayList<>();
        peers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> all.add(new ModelSource(RelaySource.PEER, e.getKey(), e.getValue())));
        shuffle(all, rng);
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }

    /**
     * The followers in random order, then the leader.
     *
     * @param replicas every replica's gRPC address by id
     * @param leaderId the serving leader, which must be one of {@code replicas}
     */
    static List<ModelSource> replicas(Map<String, String> replicas, String leaderId, RandomGenerator rng) {
        if (!replicas.containsKey(leaderId)) {
            throw new IllegalArgumentException("leader " + leaderId + " is not one of the replicas "
                    + replicas.keySet());
        }
        List<ModelSource> followers = new ArrayList<>();
        replicas.entrySet().stream().filter(e -> !e.getKey().equals(leaderId)).sorted(Map.Entry.comparingByKey())
                .forEach(e -> followers.add(new ModelSource(RelaySource.FOLLOWER, e.getKey(), e.getValue())));
        shuffle(followers, rng);
        followers.add(new ModelSource(RelaySource.LEADER, leaderId, replicas.get(leaderId)));
        return List.copyOf(followers);
    }

    /** Fisher-Yates with the given generator ({@link Collections#shuffle} wants a {@code Random}). */
    private static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }
}
