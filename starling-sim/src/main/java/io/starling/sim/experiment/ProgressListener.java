package io.starling.sim.experiment;

/** Hears how far an experiment has got, e.g. to draw a progress bar. Called on the simulation thread. */
public interface ProgressListener {
    /** Mode {@code modeIndex} of {@code modeCount} is at {@code virtualMs} of {@code durationMs}. */
    void onProgress(String mode, int modeIndex, int modeCount, long virtualMs, long durationMs, long events);

    /** Mode {@code modeIndex} finished. */
    default void onModeDone(String mode, int modeIndex, int modeCount, long events, long wallMs) {
    }

    ProgressListener NONE = (mode, i, n, t, d, e) -> {
    };
}
