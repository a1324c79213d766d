package io.predictionarchiver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalInt;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** {@code --progress}: how a run shows its progress on stderr. */
enum ProgressMode {

    /** A live line when stderr is a terminal, periodic lines otherwise. */
    AUTO,
    /** A live line, rewritten in place. */
    BAR,
    /** A self-contained line every {@code --progress-interval}. */
    LOG,
    /** Failed ids and the summary only. */
    NONE;

    private static final int DEFAULT_WIDTH = 80;
    private static final int NARROWEST = 40;

    ProgressDisplay open(PrintWriter err, int total, Duration interval) {
        return switch (this) {
            case AUTO -> {
                OptionalInt width = stderrTerminalWidth();
                yield width.isPresent()
                        ? new LiveProgressLine(err, width.getAsInt(), total)
                        : ProgressDisplay.periodicLines(err, interval);
            }
            case BAR -> new LiveProgressLine(err, stderrTerminalWidth().orElse(DEFAULT_WIDTH), total);
            case LOG -> ProgressDisplay.periodicLines(err, interval);
            case NONE -> ProgressDisplay.none(err);
        };
    }

    /**
     * The width of the terminal stderr is attached to, or empty when stderr is not a terminal (a file, a pipe,
     * CI). Asks jline's exec provider, which runs {@code test -t 2} and {@code stty}: this looks at stderr
     * itself, where {@code System.console()} on Java 17 looks at stdin and stdout, and so is null for
     * {@code --ids-file -} or {@code --output json > file} although a person is watching stderr.
     */
    private static OptionalInt stderrTerminalWidth() {
        try {
            TerminalProvider exec = TerminalProvider.load("exec");
            if (!exec.isSystemStream(SystemStream.Error)) {
                return OptionalInt.empty();
            }
            int width = exec.systemStreamWidth(SystemStream.Error);
            return OptionalInt.of(width >= NARROWEST ? width : DEFAULT_WIDTH);
        } catch (IOException | RuntimeException | LinkageError noTerminalSupport) {
            return OptionalInt.empty();
        }
    }
}
