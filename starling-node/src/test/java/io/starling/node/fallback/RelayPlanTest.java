package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The order in which a group client asks for a committed model. */
class RelayPlanTest {
    private static Map<String, String> nodes(String prefix, int n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(prefix + i, "127.0.0.1:" + (7000 + i));
        }
        return out;
    }

    @Property
    void everyFollowerIsAskedOnceAndTheLeaderLast(@ForAll @IntRange(min = 1, max = 7) int replicas,
                                                  @ForAll @IntRange(min = 0, max = 6) int leaderIndex,
                                                  @ForAll long seed) {
        Map<String, String> group = nodes("r", replicas);
        String leader = "r" + (leaderIndex % replicas);

        List<ModelSource> order = RelayPlan.replicas(group, leader, new SplittableRandom(seed));

        assertThat(order).hasSize(replicas);
        assertThat(order.getLast()).isEqualTo(new ModelSource(RelaySource.LEADER, leader, group.get(leader)));
        assertThat(order.subList(0, replicas - 1)).allMatch(s -> s.kind() == RelaySource.FOLLOWER)
                .extracting(ModelSource::id).doesNotHaveDuplicates().doesNotContain(leader);
    }

    @Property
    void aPeerRoundAsksDistinctKnownPeersUpToItsSize(@ForAll @IntRange(min = 0, max = 9) int peers,
                                                     @ForAll @IntRange(min = 0, max = 5) int perRound,
                                                     @ForAll long seed) {
        Map<String, String> known = nodes("c", peers);

        List<ModelSource> round = RelayPlan.peers(known, perRound, new SplittableRandom(seed));

        assertThat(round).hasSize(Math.min(peers, perRound)).doesNotHaveDuplicates()
                .allMatch(s -> s.kind() == RelaySource.PEER && known.get(s.id()).equals(s.address()));
    }

    @Test
    void theSameSeedGivesTheSameOrderWhateverTheMapsIterationOrder() {
        Map<String, String> known = nodes("c", 6);
        Map<String, String> shuffled = new HashMap<>(known);

        assertThat(RelayPlan.peers(known, 3, new SplittableRandom(5)))
                .isEqualTo(RelayPlan.peers(shuffled, 3, new SplittableRandom(5)));
        assertThat(RelayPlan.replicas(nodes("r", 5), "r2", new SplittableRandom(5)))
                .isEqualTo(RelayPlan.replicas(new HashMap<>(nodes("r", 5)), "r2", new SplittableRandom(5)));
    }

    @Test
    void loadSpreadsOverEveryPeerAndEveryFollower() {
        Map<String, String> known = nodes("c", 5);
        Map<String, Integer> firstPeer = new HashMap<>();
        Map<String, Integer> firstFollower = new HashMap<>();
        SplittableRandom rng = new SplittableRandom(42);
        int draws = 5_000;
        for (int i = 0; i < draws; i++) {
            firstPeer.merge(RelayPlan.peers(known, 2, rng).getFirst().id(), 1, Integer::sum);
            firstFollower.merge(RelayPlan.replicas(nodes("r", 3), "r0", rng).getFirst().id(), 1, Integer::sum);
        }
        // Uniform would be 1000 per peer and 2500 per follower; allow wide statistical margin.
        assertThat(firstPeer).containsOnlyKeys(known.keySet()).allSatisfy((id, n) -> assertThat(n).isBetween(850, 1150));
        assertThat(firstFollower).containsOnlyKeys("r1", "r2")
                .allSatisfy((id, n) -> assertThat(n).isBetween(2300, 2700));
    }

    @Test
    void aLeaderOutsideTheGroupIsRefused() {
        assertThatThrownBy(() -> RelayPlan.replicas(nodes("r", 3), "r9", new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r9");
    }

    @Test
    void relaySettingsRefuseNonsense() {
        assertThatThrownBy(() -> new RelaySettings(-1, 1, 0, 10)).hasMessageContaining("peersPerRound");
        assertThatThrownBy(() -> new RelaySettings(1, 0, 0, 10)).hasMessageContaining("peerRounds");
        assertThatThrownBy(() -> new RelaySettings(1, 1, -1, 10)).hasMessageContaining("peerPauseMs");
        assertThatThrownBy(() -> new RelaySettings(1, 1, 0, 0)).hasMessageContaining("attemptTimeoutMs");
    }
}
