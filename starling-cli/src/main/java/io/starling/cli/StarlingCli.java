package io.starling.cli;

import io.starling.core.StarlingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code starling} command. Subcommands are small classes in this package; this class only
 * wires them and maps errors to exit codes, the one place allowed to end the JVM.
 *
 * <p>Exit codes: 0 success, 1 a run failed (e.g. a target was not reached), 2 bad usage or bad
 * input (one-line message; stack trace only with {@code --verbose}), 3 no suitable JDK (from the
 * launcher), 130 interrupted.
 */
@Command(name = "starling",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Federated learning with no single point of failure.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TrainCommand.class,
            DemoCommand.class,
            PartitionCommand.class,
            SimulateCommand.class,
            NodeCommand.class,
            StatusCommand.class,
            ClusterCommand.class,
            LocalCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the run failed",
            "2:bad usage or bad input (the message says what and where)",
            "3:no JDK >= 21 found (launcher)",
            "130:interrupted"})
public final class StarlingCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private StarlingCli() {
    }

    /** Builds the command line with Starling's error handling; tests call this in process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StarlingCli());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            if (ex instanceof StarlingException || ex instanceof IllegalArgumentException
                    || ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                cmd.getErr().println("starling: " + ex.getMessage());
                if (verbose) {
                    ex.printStackTrace(cmd.getErr());
                }
                return EXIT_USAGE;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("starling: " + ex.getMessage() + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExitCodeExceptionMapper(ex -> EXIT_USAGE);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
