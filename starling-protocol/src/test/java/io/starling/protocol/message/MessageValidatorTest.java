package io.starling.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.core.param.ParamVector;
import io.starling.protocol.NodeId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageValidatorTest {
    static final NodeId A = NodeId.of("a");
    static final ReceiverContext CTX = new ReceiverContext("task", 3, 10, 4);

    static Optional<RejectionReason> reasonFor(ProtocolMessage m) {
        return MessageValidator.validate(A, m, CTX).map(Rejection::reason);
    }

    static ClientUpdate update(String task, long base, ParamVector params, double loss) {
        return new ClientUpdate(A, Signature.NONE, "u1", task, base, params, 5, loss);
    }

    @Test
    void wellFormedUpdateWithinTheStalenessBoundPasses() {
        assertThat(reasonFor(update("task", 6, ParamVector.of(1, 2, 3), 0.5))).isEmpty();
    }

    @Test
    void unknownTaskIsRejected() {
        assertThat(reasonFor(update("other", 10, ParamVector.of(1, 2, 3), 0.5))).contains(RejectionReason.UNKNOWN_TASK);
    }

    @Test
    void wrongDimensionIsRejected() {
        assertThat(reasonFor(update("task", 10, ParamVector.of(1, 2), 0.5))).contains(RejectionReason.DIMENSION_MISMATCH);
    }

    @Test
    void nanOrInfiniteParameterIsRejected() {
        assertThat(reasonFor(update("task", 10, ParamVector.of(1, Float.NaN, 3), 0.5)))
                .contains(RejectionReason.NON_FINITE);
        assertThat(reasonFor(new GossipModel(A, Signature.NONE, "task", ParamVector.of(Float.POSITIVE_INFINITY, 0, 0), 1)))
                .contains(RejectionReason.NON_FINITE);
    }

    @Test
    void nanLossIsRejected() {
        assertThat(reasonFor(update("task", 10, ParamVector.of(1, 2, 3), Double.NaN))).contains(RejectionReason.NON_FINITE);
    }

    @Test
    void updateBeyondMaxStalenessIsRejected() {
        Optional<Rejection> r = MessageValidator.validate(A, update("task", 5, ParamVector.of(1, 2, 3), 0), CTX);
        assertThat(r).map(Rejection::reason).contains(RejectionReason.TOO_STALE);
        assertThat(r.orElseThrow().detail()).contains("5 versions behind").contains("maxStaleness 4");
    }

    @Test
    void updateFromTheFutureIsRejected() {
        assertThat(reasonFor(update("task", 11, ParamVector.of(1, 2, 3), 0))).contains(RejectionReason.FUTURE_VERSION);
    }

    @Test
    void modelOlderThanTheKnownVersionIsRejected() {
        assertThat(reasonFor(new GlobalModel(A, Signature.NONE, "task", 9, ParamVector.of(1, 2, 3), 0)))
                .contains(RejectionReason.OUTDATED_MODEL);
        assertThat(reasonFor(new GlobalModel(A, Signature.NONE, "task", 10, ParamVector.of(1, 2, 3), 0))).isEmpty();
    }

    @Test
    void senderFieldMustMatchTheTransportPeer() {
        Optional<Rejection> r = MessageValidator.validate(NodeId.of("mallory"), new Join(A, Signature.NONE, "task"), CTX);
        assertThat(r).map(Rejection::reason).contains(RejectionReason.UNEXPECTED_MESSAGE);
        assertThat(r.orElseThrow().detail()).contains("mallory");
    }
}
