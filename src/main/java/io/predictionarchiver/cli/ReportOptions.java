package io.predictionarchiver.cli;

import java.time.Duration;

/**
 * How a bulk run reports, besides its exit status.
 *
 * @param json             one JSON line per id on stdout ({@code --output json})
 * @param progress         how progress is shown on stderr
 * @param progressInterval how often a progress line is logged when there is no live line
 * @param interruptGrace   how long Ctrl-C waits for the cancel to reach S3, and then for the summary
 */
record ReportOptions(boolean json, ProgressMode progress, Duration progressInterval, Duration interruptGrace) {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** What {@code demo} uses: the human output only. */
    static ReportOptions defaults() {
        return new ReportOptions(false, ProgressMode.AUTO, DEFAULT_INTERVAL, DEFAULT_GRACE);
    }
}
