package io.predictionarchiver.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * How a bulk run shows its progress on stderr. {@link #update} and {@link #print} are called on the run's
 * report thread, one call at a time, never on a pipeline thread; {@link #finish} once, after the last of them.
 */
interface ProgressDisplay {

    /** How often {@link #update} is called. */
    Duration refresh();

    void update(Progress progress);

    /** A line that stays (a failed id), shown above a live line if there is one. */
    void print(String line);

    /** Shows the final figures and ends the display; what follows starts on a fresh line. */
    void finish(Progress progress);

    /** Periodic self-contained lines: for logs, pipes and CI, where a rewritten line would be noise. */
    static ProgressDisplay periodicLines(PrintWriter err, Duration interval) {
        return new ProgressDisplay() {
            @Override
            public Duration refresh() {
                return interval;
            }

            @Override
            public void update(Progress progress) {
                err.println(progress.logLine());
            }

            @Override
            public void print(String line) {
                err.println(line);
            }

            @Override
            public void finish(Progress progress) {
                err.flush();
            }
        };
    }

    /** Failed ids and the summary only. */
    static ProgressDisplay none(PrintWriter err) {
        return new ProgressDisplay() {
            @Override
            public Duration refresh() {
                return Duration.ofDays(1);
            }

            @Override
            public void update(Progress progress) {
            }

            @Override
            public void print(String line) {
                err.println(line);
            }

            @Override
            public void finish(Progress progress) {
                err.flush();
            }
        };
    }
}
