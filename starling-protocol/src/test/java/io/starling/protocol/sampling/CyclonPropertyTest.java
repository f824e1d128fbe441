package io.starling.protocol.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.NodeId;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.testkit.InMemoryNetwork;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CyclonPropertyTest {
    static final long PERIOD_MS = 1_000;

    record Overlay(InMemoryNetwork net, List<CyclonSampler> nodes) {
    }

    /** {@code n} samplers, each bootstrapped with its next {@code viewSize} ring neighbours. */
    static Overlay ring(int n, CyclonConfig config, long seed) {
        InMemoryNetwork net = new InMemoryNetwork((node, base, c) -> {
            throw new AssertionError("peer sampling never trains");
        }, 10);
        SplittableRng root = SplittableRng.seeded(seed);
        List<CyclonSampler> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<NodeId> bootstrap = new ArrayList<>();
            for (int k = 1; k <= config.viewSize(); k++) {
                bootstrap.add(id((i + k) % n));
            }
            nodes.add(net.add(new CyclonSampler(id(i), config, root.split(), bootstrap)));
        }
        net.startAll();
        return new Overlay(net, nodes);
    }

    static NodeId id(int i) {
        return NodeId.of("n" + i);
    }

    @Property(tries = 25, seed = "20261123")
    void everyViewKeepsItsSizeWithoutSelfOrDuplicates(@ForAll long seed,
                                                      @ForAll @IntRange(min = 12, max = 50) int n) {
        CyclonConfig config = new CyclonConfig(8, 4, PERIOD_MS);
        Overlay overlay = ring(n, config, seed);
        for (int period = 1; period <= 30; period++) {
            overlay.net().runUntil(period * PERIOD_MS);
            for (CyclonSampler node : overlay.nodes()) {
                List<PeerDescriptor> view = node.view();
                Set<NodeId> distinct = new HashSet<>();
                view.forEach(d -> distinct.add(d.node()));
                // A shuffle initiator has given up the slot of the peer it is shuffling with until the reply.
                int expectedMin = node.state() == SamplerState.SHUFFLING ? 7 : 8;
                assertThat(view.size()).as("seed %d, %s after %d periods", seed, node.id(), period)
                        .isBetween(expectedMin, 8);
                assertThat(distinct).as("seed %d: duplicates in %s", seed, node.id()).hasSize(view.size());
                assertThat(distinct).as("seed %d: self in view", seed).doesNotContain(node.id());
            }
        }
    }

    @Property(tries = 25, seed = "20261123")
    void theOverlayStaysConnectedAndMixesAwayFromTheBootstrapRing(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 12, max = 50) int n) {
        CyclonConfig config = new CyclonConfig(6, 3, PERIOD_MS);
        Overlay overlay = ring(n, config, seed);
        overlay.net().runUntil(40 * PERIOD_MS);

        Map<NodeId, List<NodeId>> edges = new HashMap<>();
        int ringEdges = 0;
        int total = 0;
        for (int i = 0; i < n; i++) {
            CyclonSampler node = overlay.nodes().get(i);
            List<NodeId> out = node.view().stream().map(PeerDescriptor::node).toList();
            edges.put(node.id(), out);
            for (NodeId peer : out) {
                int j = Integer.parseInt(peer.value().substring(1));
                int forward = Math.floorMod(j - i, n);
                ringEdges += forward >= 1 && forward <= config.viewSize() ? 1 : 0;
                total++;
            }
        }
        assertThat(reachableFrom(id(0), edges)).as("seed %d: strongly connected from n0", seed).hasSize(n);
        Map<NodeId, List<NodeId>> reversed = new HashMap<>();
        edges.forEach((from, tos) -> tos.forEach(to -> reversed.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
        assertThat(reachableFrom(id(0), reversed)).as("seed %d: every node reaches n0", seed).hasSize(n);
        if (n >= 30) {
            assertThat((double) ringEdges / total).as("seed %d: fraction of bootstrap edges left", seed).isLessThan(0.5);
        }
    }

    @Property(tries = 10, seed = "20261123")
    void descriptorsOfDeadNodesDisappearFromLiveViews(@ForAll long seed) {
        int n = 40;
        CyclonConfig config = new CyclonConfig(6, 3, PERIOD_MS);
        Overlay overlay = ring(n, config, seed);
        overlay.net().runUntil(10 * PERIOD_MS);
        Set<NodeId> dead = new HashSet<>();
        for (int i = 0; i < n; i += 4) {
            dead.add(id(i));
            overlay.net().setUnreachable(id(i), true);
        }
        overlay.net().runUntil(40 * PERIOD_MS);

        int deadEntries = 0;
        for (CyclonSampler node : overlay.nodes()) {
            if (!dead.contains(node.id())) {
                deadEntries += (int) node.view().stream().filter(d -> dead.contains(d.node())).count();
                assertThat(node.view()).as("seed %d: %s kept peers", seed, node.id()).isNotEmpty();
            }
        }
        // A quarter of the nodes died; after 30 periods none of their descriptors remain.
        assertThat(deadEntries).as("seed %d: descriptors of dead nodes in live views", seed).isZero();
    }

    static Set<NodeId> reachableFrom(NodeId start, Map<NodeId, List<NodeId>> edges) {
        Set<NodeId> seen = new HashSet<>(List.of(start));
        Deque<NodeId> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (NodeId next : edges.getOrDefault(todo.poll(), List.of())) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return seen;
    }
}
