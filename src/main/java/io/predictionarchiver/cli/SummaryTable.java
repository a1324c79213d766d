package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.predictionarchiver.manifest.ArchiveState;

/**
 * The table a bulk run ends with: ids by outcome and archive state, failures grouped by reason with a few
 * example ids each, files, bytes and wall time; then the one-line summary, last, for scripts that grep it.
 */
final class SummaryTable {

    private static final String ROW = "  %-28s %12s";

    private SummaryTable() {
    }

    /** @param pollsMade API reads of the run: single predictions and, with poll-by-list, list pages */
    static List<String> lines(RunSummary summary, long pollsMade, Duration elapsed) {
        RunSummary.Counts counts = summary.counts();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(row("archived", counts.archived()));
        for (ArchiveState state : ArchiveState.values()) {
            lines.add(row("  " + state.name().toLowerCase(Locale.ROOT), summary.archived(state)));
        }
        lines.add(row("skipped (already archived)", counts.alreadyArchived()));
        lines.add(row("failed", counts.failed()));
        lines.add(row("files", counts.files()));
        lines.add(row("bytes", RunSummary.humanBytes(counts.bytes())));
        lines.add(row("polls made", pollsMade));
        lines.add(row("wall time", RunSummary.seconds(elapsed)));
        List<RunSummary.FailureGroup> failures = summary.failures();
        if (!failures.isEmpty()) {
            lines.add("");
            lines.add(String.format(Locale.ROOT, "  %6s  %s", "failed", "reason (example ids)"));
            for (RunSummary.FailureGroup group : failures) {
                lines.add(String.format(Locale.ROOT, "  %6d  %s (%s%s)", group.count(), group.reason(),
                        String.join(", ", group.examples()), group.count() > group.examples().size() ? ", ..." : ""));
            }
        }
        lines.add("");
        lines.add(summary.line(elapsed));
        return lines;
    }

    private static String row(String label, Object value) {
        return String.format(Locale.ROOT, ROW, label, value);
    }
}
