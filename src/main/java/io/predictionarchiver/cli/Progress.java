package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a bulk run stands at one moment.
 *
 * @param total          ids in the run
 * @param counts         outcomes so far
 * @param uploadedBytes  bytes S3 has acknowledged so far, parts of unfinished files included
 * @param bytesPerSecond upload rate since the previous refresh
 * @param polls          prediction reads sent so far, retries included
 * @param pollsPerSecond poll rate since the previous refresh
 * @param elapsed        since the run started
 */
record Progress(int total, RunSummary.Counts counts, long uploadedBytes, double bytesPerSecond, long polls,
        double pollsPerSecond, Duration elapsed) {

    /** Linear estimate from the ids done so far; {@code null} before the first one. */
    Duration eta() {
        int done = counts.done();
        if (done == 0 || done >= total) {
            return done >= total ? Duration.ZERO : null;
        }
        return elapsed.dividedBy(done).multipliedBy(total - done);
    }

    /** The figures a live line shows after the library's own bar, ratio, elapsed time and ETA. */
    String liveSuffix() {
        return String.format(Locale.ROOT, " | failed %d | files %d | %s up, %s/s | polls %.1f/s", counts.failed(),
                counts.files(), RunSummary.humanBytes(uploadedBytes), RunSummary.humanBytes((long) bytesPerSecond),
                pollsPerSecond);
    }

    /** One self-contained log line, for when stderr is not a terminal. */
    String logLine() {
        int done = counts.done();
        Duration eta = eta();
        return String.format(Locale.ROOT, "progress: %d/%d ids (%d%%), archived %d, skipped %d, failed %d; "
                        + "files %d, %s uploaded, %s/s; polls %d, %.1f/s; elapsed %s, eta %s",
                done, total, total == 0 ? 100 : done * 100L / total, counts.archived(), counts.alreadyArchived(),
                counts.failed(), counts.files(), RunSummary.humanBytes(uploadedBytes),
                RunSummary.humanBytes((long) bytesPerSecond), polls, pollsPerSecond, clock(elapsed),
                eta == null ? "?" : clock(eta));
    }

    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
