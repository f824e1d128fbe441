package io.starling.node.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.aggregate.DoublyWeightedAveraging;
import io.starling.core.model.TrainConfig;
import io.starling.core.model.TrainResult;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.client.ClientConfig;
import io.starling.protocol.gossip.GossipConfig;
import io.starling.protocol.hybrid.HybridClient;
import io.starling.protocol.hybrid.HybridConfig;
import io.starling.protocol.hybrid.HybridState;
import io.starling.protocol.message.ProtocolMessage;
import io.starling.protocol.sampling.CyclonConfig;
import io.starling.raft.aggregator.ClientUpdate;
import io.starling.raft.aggregator.UpdateAck;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * When a client of the replicated aggregator switches to gossip, probes and comes back, on a
 * virtual clock: the protocol core's {@link HybridClient} and the {@link ClusterLink} driven by a
 * deterministic event loop against a scripted cluster. Training takes {@link #TRAIN_MS}.
 */
class FallbackTimingTest {
    private static final long TIMEOUT_MS = 2_000;
    private static final long PROBE_MS = 700;
    private static final long TRAIN_MS = 50;
    private static final int DIM = 4;

    /** A replicated group that either serves (acks at once) or does not answer at all. */
    private static final class ScriptedCluster implements ReplicatedCluster {
        boolean serving = true;
        long version;
        double age;
        ParamVector model = ParamVector.zeros(DIM);
        final List<ClientUpdate> committed = new ArrayList<>();
        final List<Long> servingReadsWhileDownAtMs = new ArrayList<>();
        final List<Long> submitsWhileDownAtMs = new ArrayList<>();
        long nowMs;

        @Override
        public CompletableFuture<Optional<ServedModel>> servingModel() {
            if (!serving) {
                servingReadsWhileDownAtMs.add(nowMs);
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return CompletableFuture.completedFuture(Optional.of(new ServedModel(version, age, model)));
        }

        @Override
        public CompletableFuture<UpdateAck> submit(ClientUpdate update, long timeoutMs) {
            if (!serving) {
                submitsWhileDownAtMs.add(nowMs);
                return new CompletableFuture<>(); // no leader: never answered
            }
            committed.add(update);
            version++;
            age = update.gossipAge().orElse(age + 1);
            model = update.model();
            return CompletableFuture.completedFuture(new UpdateAck(update.updateId(), version));
        }

        @Override
        public void close() {
        }
    }

    /** One hybrid client on a virtual clock: timers, training and the link's answers as events. */
    private static final class VirtualClient {
        final ScriptedCluster cluster = new ScriptedCluster();
        final HybridClient hybrid;
        final ClusterLink link;
        final TreeMap<Long, List<Event>> agenda = new TreeMap<>();
        final Map<String, Long> timers = new HashMap<>();
        final Deque<Event> now = new ArrayDeque<>();
        final List<long[]> switches = new ArrayList<>(); // {atMs, toFallback ? 1 : 0}
        long nowMs;

        VirtualClient() {
            NodeId id = NodeId.of("c0");
            TrainConfig train = TrainConfig.defaults();
            HybridConfig config = new HybridConfig(
                    new ClientConfig("task", FallbackClient.AGGREGATOR, DIM, train, TIMEOUT_MS),
                    new GossipConfig("task", DIM, 200, train, CyclonConfig.defaults(1_000)), PROBE_MS);
            hybrid = new HybridClient(id, config, ParamVector.zeros(DIM), new DoublyWeightedAveraging(0.5),
                    SplittableRng.seeded(1), List.of());
            link = new ClusterLink(FallbackClient.AGGREGATOR, "c0", "task", 100, cluster, TIMEOUT_MS, 10 * TIMEOUT_MS,
                    this.now::add);
            now.add(new Event.Start());
        }

        void runUntil(long endMs) {
            while (true) {
                while (!now.isEmpty()) {
                    handle(now.poll());
                }
                var next = agenda.firstEntry();
                if (next == null || next.getKey() > endMs) {
                    nowMs = endMs;
                    cluster.nowMs = endMs;
                    return;
                }
                agenda.pollFirstEntry();
                nowMs = next.getKey();
                cluster.nowMs = nowMs;
                now.addAll(next.getValue());
            }
        }

        private void handle(Event e) {
            if (e instanceof Event.TimerFired t) {
                Long due = timers.get(t.key());
                if (due == null || due != nowMs) {
                    return; // cancelled or re-armed
                }
                timers.remove(t.key());
            }
            for (Action a : hybrid.handle(e, nowMs)) {
                switch (a) {
                    case Action.SetTimer t -> {
                        timers.put(t.key(), t.atMs());
                        at(t.atMs(), new Event.TimerFired(t.key()));
                    }
                    case Action.CancelTimer c -> timers.remove(c.key());
                    case Action.StartTraining st -> at(nowMs + TRAIN_MS, new Event.TrainingDone(st.requestId(),
                            st.base().plus(ParamVector.of(1, 1, 1, 1)), new TrainResult(100, 3, 0.5)));
                    case Action.Send s -> {
                        assertThat(s.to()).isEqualTo(FallbackClient.AGGREGATOR); // no peers in this test
                        link.send((ProtocolMessage) s.message());
                    }
                    case Action.Report r -> {
                        if (r.observation() instanceof Observation.ModeChanged m) {
                            switches.add(new long[] {nowMs, m.to().equals(HybridState.FALLBACK.name()) ? 1 : 0});
                        }
                    }
                    case Action.ModelCommitted m -> { }
                }
            }
        }

        private void at(long atMs, Event e) {
            agenda.computeIfAbsent(atMs, k -> new ArrayList<>()).add(e);
        }
    }

    @Test
    void aClientTrainsAndSubmitsWhileALeaderServes() {
        VirtualClient c = new VirtualClient();
        c.runUntil(1_000);

        assertThat(c.hybrid.state()).isEqualTo(HybridState.CONNECTED);
        assertThat(c.switches).isEmpty();
        assertThat(c.cluster.committed).hasSizeGreaterThan(10).noneMatch(ClientUpdate::isHandBack);
    }

    @Test
    void theClientSwitchesToGossipExactlyOneTimeoutAfterItsFirstUnansweredUpdate() {
        VirtualClient c = new VirtualClient();
        c.runUntil(1_000);
        c.cluster.serving = false;
        c.runUntil(10_000);

        long firstUnanswered = c.cluster.submitsWhileDownAtMs.getFirst();
        assertThat(firstUnanswered).isBetween(1_000L, 1_000L + TRAIN_MS);
        assertThat(c.cluster.submitsWhileDownAtMs).hasSize(1);
        assertThat(c.switches).hasSize(1);
        assertThat(c.switches.getFirst()).containsExactly(firstUnanswered + TIMEOUT_MS, 1);
        assertThat(c.hybrid.state()).isEqualTo(HybridState.FALLBACK);
    }

    @Test
    void duringFallbackTheClientProbesOncePerProbePeriod() {
        VirtualClient c = new VirtualClient();
        c.runUntil(1_000);
        c.cluster.serving = false;
        c.runUntil(10_000);

        long switchedAt = c.switches.getFirst()[0];
        List<Long> expected = new ArrayList<>();
        for (long t = switchedAt + PROBE_MS; t <= 10_000; t += PROBE_MS) {
            expected.add(t);
        }
        assertThat(c.cluster.servingReadsWhileDownAtMs).containsExactlyElementsOf(expected);
    }

    @Test
    void atTheFirstProbeAfterALeaderServesAgainTheClientHandsBackItsGossipModelAndResumes() {
        VirtualClient c = new VirtualClient();
        c.runUntil(1_000);
        c.cluster.serving = false;
        c.runUntil(10_000);
        long versionBefore = c.cluster.version;
        int committedBefore = c.cluster.committed.size();
        c.cluster.serving = true;
        c.runUntil(12_000);

        long switchedAt = c.switches.getFirst()[0];
        long firstProbeAfter = switchedAt + ((10_000 - switchedAt) / PROBE_MS + 1) * PROBE_MS;
        assertThat(c.switches).hasSize(2);
        assertThat(c.switches.get(1)).containsExactly(firstProbeAfter, 0);
        ClientUpdate handBack = c.cluster.committed.get(committedBefore);
        assertThat(handBack.isHandBack()).isTrue();
        assertThat(handBack.updateId()).isEqualTo("c0/handback-1");
        assertThat(handBack.baseVersion()).isEqualTo(versionBefore);
        assertThat(handBack.gossipAge().getAsDouble()).isEqualTo(versionBefore + 1);
        assertThat(c.cluster.committed.subList(committedBefore + 1, c.cluster.committed.size()))
                .hasSizeGreaterThan(10).noneMatch(ClientUpdate::isHandBack);
        assertThat(c.link.handBacksAcknowledged()).isEqualTo(1);
    }
}
