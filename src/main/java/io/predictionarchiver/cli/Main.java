package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;

import picocli.CommandLine;
import reactor.netty.http.HttpResources;

/**
 * Entry point of the executable jar: the first argument picks the command. Every command shares one help
 * layout ({@value #HELP_WIDTH} columns, whatever the terminal) and one duration syntax ({@link DurationOption}).
 */
public final class Main {

    static final int HELP_WIDTH = 100;

    /** How long the shared event loops may take to finish tasks still queued once the command has returned. */
    private static final Duration LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private Main() {
    }

    public static void main(String[] args) {
        FatalErrors.install(System.err);
        int status = run(args);
        shutDownSharedEventLoops();
        System.exit(status);
    }

    /*
     * The JVM's exit waits up to 300 ms for each thread in native code to come out of it (HotSpot's VM_Exit), and
     * Reactor Netty's shared event loops, which the API and delivery clients run on, sit in epoll_wait until shut
     * down: once the command has returned nothing uses them, so they are shut down, without a quiet period, first.
     */
    static void shutDownSharedEventLoops() {
        HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, LOOP_SHUTDOWN_TIMEOUT)
                .block(LOOP_SHUTDOWN_TIMEOUT.plusSeconds(1));
    }

    /** Runs one command line on the process's standard streams and returns its exit status. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command line writing to {@code out} and {@code err} (tests capture them) and returns its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The whole command tree, configured once here so that every command behaves the same. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        // each setter reaches the subcommands registered so far, which is all of them
        return new CommandLine(new RootCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Duration.class, new DurationOption())
                .setUsageHelpWidth(HELP_WIDTH)
                .setUsageHelpAutoWidth(false)
                .setOut(out)
                .setErr(err);
    }
}
