package io.starling.protocol.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.InvalidConfigException;
import io.starling.protocol.NodeId;
import io.starling.protocol.SplittableRng;
import io.starling.protocol.message.PeerDescriptor;
import io.starling.protocol.message.ShuffleReply;
import io.starling.protocol.message.ShuffleRequest;
import io.starling.protocol.message.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CyclonSamplerTest {
    static final NodeId SELF = NodeId.of("self");

    static List<NodeId> peers(int n) {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(NodeId.of("p" + i));
        }
        return ids;
    }

    @Test
    void shuffleGoesToTheOldestPeerWithAFreshSelfDescriptorInItsPlace() {
        CyclonSampler sampler = new CyclonSampler(SELF, new CyclonConfig(4, 3, 1_000), SplittableRng.seeded(1), peers(4));
        sampler.handle(new Event.Start(), 0);
        sampler.handle(new Event.TimerFired(CyclonSampler.TIMER), 1_000); // everyone age 1; p0 first among equals
        List<Action> actions = sampler.handle(new Event.TimerFired(CyclonSampler.TIMER), 2_000);

        Action.Send send = actions.stream().filter(Action.Send.class::isInstance).map(Action.Send.class::cast)
                .findFirst().orElseThrow();
        ShuffleRequest request = (ShuffleRequest) send.message();
        assertThat(request.descriptors()).hasSize(3).first().isEqualTo(new PeerDescriptor(SELF, 0));
        assertThat(request.descriptors()).extracting(PeerDescriptor::node).doesNotContain(send.to());
        assertThat(sampler.view()).extracting(PeerDescriptor::node).doesNotContain(send.to());
        assertThat(sampler.state()).isEqualTo(SamplerState.SHUFFLING);
    }

    @Test
    void aPeerThatDoesNotAnswerTheShuffleIsDroppedFromTheView() {
        CyclonSampler sampler = new CyclonSampler(SELF, new CyclonConfig(4, 2, 1_000), SplittableRng.seeded(1), peers(4));
        sampler.handle(new Event.Start(), 0);
        List<Action> actions = sampler.handle(new Event.TimerFired(CyclonSampler.TIMER), 1_000);
        Action.Send send = (Action.Send) actions.stream().filter(Action.Send.class::isInstance).findFirst().orElseThrow();

        sampler.handle(new Event.DeliveryFailed(send.to(), send.message(), "down"), 1_010);

        assertThat(sampler.view()).hasSize(3).extracting(PeerDescriptor::node).doesNotContain(send.to());
        assertThat(sampler.state()).isEqualTo(SamplerState.IDLE);
    }

    @Test
    void receiverAnswersWithItsOwnDescriptorsAndAdoptsTheOfferedOnes() {
        CyclonSampler sampler = new CyclonSampler(SELF, new CyclonConfig(4, 2, 1_000), SplittableRng.seeded(1), peers(4));
        sampler.handle(new Event.Start(), 0);
        NodeId initiator = NodeId.of("p0");
        ShuffleRequest request = new ShuffleRequest(initiator, Signature.NONE,
                List.of(new PeerDescriptor(initiator, 0), new PeerDescriptor(NodeId.of("fresh"), 3)));

        List<Action> actions = sampler.handle(new Event.MessageReceived(initiator, request), 10);

        ShuffleReply reply = (ShuffleReply) ((Action.Send) actions.getFirst()).message();
        assertThat(reply.descriptors()).hasSize(2).extracting(PeerDescriptor::node).doesNotContain(initiator);
        Set<NodeId> view = new HashSet<>();
        sampler.view().forEach(d -> view.add(d.node()));
        assertThat(view).hasSize(4).contains(NodeId.of("fresh"));
    }

    @Test
    void configErrorsNameTheField() {
        assertThatThrownBy(() -> new CyclonConfig(4, 5, 1_000)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("shuffleLength")
                .satisfies(e -> assertThat(((InvalidConfigException) e).field()).isEqualTo("shuffleLength"));
        assertThatThrownBy(() -> new CyclonConfig(4, 2, 0)).hasMessageContaining("periodMs");
    }
}
