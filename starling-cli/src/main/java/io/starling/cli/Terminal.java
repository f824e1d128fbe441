package io.starling.cli;

import java.io.Console;

/** Whether the CLI talks to a person at a terminal (so progress bars make sense) or to a pipe. */
final class Terminal {
    private Terminal() {
    }

    /**
     * True when standard input and output are a terminal. Since JDK 22 {@link System#console()}
     * is non-null even when redirected, so this asks {@code Console.isTerminal()} where it exists
     * (the build targets Java 21, whose API lacks it).
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }
}
