package io.predictionarchiver.cli;

import java.io.PrintWriter;

import picocli.CommandLine;

/** Entry point of the executable jar: the first argument picks the command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        FatalErrors.install(System.err);
        System.exit(run(args));
    }

    /** Runs one command line on the process's standard streams and returns its exit status. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command line writing to {@code out} and {@code err} (tests capture them) and returns its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new RootCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .execute(args);
    }
}
