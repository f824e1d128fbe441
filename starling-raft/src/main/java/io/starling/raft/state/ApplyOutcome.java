package io.starling.raft.state;

/**
 * What applying one log entry did. Every replica computes the same outcome for the same entry
 * at the same position, so a rejection is as replicated as an acceptance.
 */
public sealed interface ApplyOutcome {
    /** The entry changed the replicated state. */
    record Applied() implements ApplyOutcome {
    }

    /** The entry repeats one already applied (same version, digest and ids): nothing changed. */
    record AlreadyApplied(long version) implements ApplyOutcome {
    }

    /** The entry breaks a chain rule and was ignored; {@code reason} says which. */
    record Rejected(String reason) implements ApplyOutcome {
    }

    static ApplyOutcome applied() {
        return new Applied();
    }
}
