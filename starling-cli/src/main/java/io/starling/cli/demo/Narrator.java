package io.starling.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints the demo's story, one line per event, prefixed with seconds since the start. Threads
 * (clients, the accuracy probe, the orchestrator) share it, so lines never interleave.
 */
public final class Narrator {
    private final PrintWriter out;
    private final long startNanos;

    public Narrator(PrintWriter out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Seconds since the demo started. */
    public double elapsedS() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public synchronized void say(String format, Object... args) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedS(), String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
