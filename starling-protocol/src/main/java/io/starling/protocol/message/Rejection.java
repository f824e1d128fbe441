package io.starling.protocol.message;

import java.util.Objects;

/** A typed refusal: the {@link RejectionReason} plus a human-readable detail naming the values. */
public record Rejection(RejectionReason reason, String detail) {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
