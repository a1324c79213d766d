package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome;

/**
 * Counts what a bulk run did, for the progress display and the summary at its end. Thread-safe: outcomes
 * arrive on pipeline threads while the progress display reads {@link #counts()} on its own.
 */
final class RunSummary {

    private static final int EXAMPLES_PER_REASON = 3;

    private final Map<ArchiveState, Integer> archived = new EnumMap<>(ArchiveState.class);
    private final Map<String, FailureGroup> failures = new LinkedHashMap<>();
    private int alreadyArchived;
    private int failed;
    private int planned;
    private long files;
    private long bytes;

    /** Failures sharing one reason (the id itself replaced by {@code <id>}), with a few of their ids. */
    record FailureGroup(String reason, int count, List<String> examples) {
    }

    /** The figures so far, consistent with each other. */
    record Counts(int archived, int alreadyArchived, int failed, int planned, long files, long bytes) {

        int done() {
            return archived + alreadyArchived + failed + planned;
        }
    }

    synchronized void add(ArchiveOutcome outcome) {
        switch (outcome.result()) {
            case ARCHIVED -> archived.merge(outcome.state(), 1, Integer::sum);
            case ALREADY_ARCHIVED -> alreadyArchived++;
            case PLANNED -> planned++;
            case FAILED -> {
                failed++;
                group(outcome);
            }
        }
        files += outcome.files();
        bytes += outcome.bytes();
    }

    synchronized Counts counts() {
        return new Counts(archivedTotal(), alreadyArchived, failed, planned, files, bytes);
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int archived(ArchiveState state) {
        return archived.getOrDefault(state, 0);
    }

    /** Failure reasons, the most frequent first. */
    synchronized List<FailureGroup> failures() {
        List<FailureGroup> groups = new ArrayList<>(failures.values());
        groups.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return groups;
    }

    /** The one-line summary scripts grep for; the last line a run prints. */
    synchronized String line(Duration elapsed) {
        StringBuilder states = new StringBuilder();
        for (ArchiveState state : ArchiveState.values()) {
            states.append(states.isEmpty() ? "" : ", ")
                    .append(state.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(archived.getOrDefault(state, 0));
        }
        String line = String.format(Locale.ROOT, "archived %d (%s), skipped %d (already archived), failed %d, "
                        + "files %d, bytes %s, time %s",
                archivedTotal(), states, alreadyArchived, failed, files, humanBytes(bytes), seconds(elapsed));
        return planned == 0 ? line : "dry run: " + planned + " to do; " + line;
    }

    private int archivedTotal() {
        return archived.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void group(ArchiveOutcome outcome) {
        String id = outcome.id().value();
        String reason = outcome.reason() == null ? "unknown" : outcome.reason().replace(id, "<id>");
        FailureGroup group = failures.get(reason);
        List<String> examples = group == null ? new ArrayList<>() : new ArrayList<>(group.examples());
        if (examples.size() < EXAMPLES_PER_REASON) {
            examples.add(id);
        }
        failures.put(reason, new FailureGroup(reason, group == null ? 1 : group.count() + 1, List.copyOf(examples)));
    }

    static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
