package io.starling.sim.device;

/**
 * When a device is online. The simulator asks for the next change only, so an availability can
 * be infinite (periodic) without materialising its intervals.
 */
public interface Availability {
    /** Whether the device is online at virtual time {@code tMs}. */
    boolean isAvailable(long tMs);

    /**
     * The first time strictly after {@code tMs} at which {@link #isAvailable} changes, or
     * {@link Long#MAX_VALUE} if it never does.
     */
    long nextChangeAfter(long tMs);

    /** Online all the time. */
    Availability ALWAYS = new Availability() {
        @Override
        public boolean isAvailable(long tMs) {
            return true;
        }

        @Override
        public long nextChangeAfter(long tMs) {
            return Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "always";
        }
    };
}
