package io.starling.protocol;

/**
 * The only source of randomness a protocol state machine may use. The simulator hands each node
 * its own stream derived from one seed, so runs replay bit for bit; the node daemon seeds it from
 * its configuration.
 */
public interface Rng {
    /** Uniform in {@code [0, bound)}. */
    int nextInt(int bound);

    /** Uniform in {@code [0, 1)}. */
    double nextDouble();

    /** A full-range 64-bit value, e.g. to seed local training. */
    long nextLong();

    /** An independent stream; the same parent state always yields the same child. */
    Rng split();
}
