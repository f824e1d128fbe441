package io.starling.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageConstructionTest {
    static final NodeId A = NodeId.of("a");
    static final ParamVector P = ParamVector.of(1, 2, 3);

    @Test
    void blankTaskIdIsRejectedNamingTheField() {
        assertThatThrownBy(() -> new GlobalModel(A, Signature.NONE, " ", 0, P, 0))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("GlobalModel").hasMessageContaining("taskId")
                .satisfies(e -> assertThat(((MalformedMessageException) e).field()).isEqualTo("taskId"));
    }

    @Test
    void negativeVersionIsRejected() {
        assertThatThrownBy(() -> new ClientUpdate(A, Signature.NONE, "u", "t", -1, P, 1, 0))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("baseVersion");
    }

    @Test
    void updateWithoutSamplesIsRejected() {
        assertThatThrownBy(() -> new ClientUpdate(A, Signature.NONE, "u", "t", 0, P, 0, 0))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("samples");
    }

    @Test
    void negativeOrNanAgeIsRejected() {
        assertThatThrownBy(() -> new GossipModel(A, Signature.NONE, "t", P, -1))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("age");
        assertThatThrownBy(() -> new GossipModel(A, Signature.NONE, "t", P, Double.NaN))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("age");
    }

    @Test
    void missingSenderOrSignatureIsRejected() {
        assertThatThrownBy(() -> new Join(null, Signature.NONE, "t"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("sender");
        assertThatThrownBy(() -> new Join(A, null, "t"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("signature");
    }

    @Test
    void shuffleWithDuplicateDescriptorsIsRejected() {
        List<PeerDescriptor> twice = List.of(new PeerDescriptor(A, 1), new PeerDescriptor(A, 2));
        assertThatThrownBy(() -> new ShuffleRequest(A, Signature.NONE, twice))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("twice");
    }

    @Test
    void shuffleWithTooManyDescriptorsIsRejected() {
        List<PeerDescriptor> many = new java.util.ArrayList<>();
        for (int i = 0; i <= PeerDescriptor.MAX_PER_MESSAGE; i++) {
            many.add(new PeerDescriptor(NodeId.of("n" + i), 0));
        }
        assertThatThrownBy(() -> new ShuffleReply(A, Signature.NONE, many))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("more than");
    }

    @Test
    void oversizedSignatureIsRejected() {
        assertThatThrownBy(() -> new Signature(new byte[Signature.MAX_BYTES + 1]))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("limit");
    }

    @Test
    void signaturesCompareByContentAndCannotBeChangedFromOutside() {
        byte[] bytes = {1, 2, 3};
        Signature s = new Signature(bytes);
        bytes[0] = 9;
        s.bytes()[1] = 9;
        assertThat(s).isEqualTo(new Signature(new byte[] {1, 2, 3}));
    }

    @Test
    void descriptorListsAreImmutableCopies() {
        List<PeerDescriptor> list = new java.util.ArrayList<>(List.of(new PeerDescriptor(A, 0)));
        ShuffleRequest r = new ShuffleRequest(A, Signature.NONE, list);
        list.clear();
        assertThat(r.descriptors()).hasSize(1);
        assertThatThrownBy(() -> r.descriptors().add(new PeerDescriptor(NodeId.of("b"), 0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void wireSizeGrowsWithTheModelAndTheSignature() {
        GlobalModel small = new GlobalModel(A, Signature.NONE, "t", 0, P, 0);
        GlobalModel big = new GlobalModel(A, Signature.NONE, "t", 0, ParamVector.zeros(1000), 0);
        GlobalModel signed = new GlobalModel(A, new Signature(new byte[64]), "t", 0, P, 0);
        assertThat(big.wireBytes() - small.wireBytes()).isEqualTo(4L * (1000 - 3));
        assertThat(signed.wireBytes() - small.wireBytes()).isEqualTo(64);
        assertThat(new ShuffleRequest(A, Signature.NONE, Collections.emptyList()).wireBytes()).isPositive();
    }
}
