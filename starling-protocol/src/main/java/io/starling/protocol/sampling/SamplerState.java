package io.starling.protocol.sampling;

/** Lifecycle of a {@link CyclonSampler}. */
public enum SamplerState {
    /** Not started; no shuffle timer armed. */
    NEW,
    /** Started, no shuffle outstanding. */
    IDLE,
    /** A shuffle request is out; its reply (or delivery failure) is awaited. */
    SHUFFLING
}
