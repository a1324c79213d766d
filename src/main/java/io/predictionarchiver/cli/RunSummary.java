package io.predictionarchiver.cli;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome;

/** Counts what a bulk run did, for the one-line summary at its end. Not thread-safe: feed it from one place. */
final class RunSummary {

    private final Map<ArchiveState, Integer> archived = new EnumMap<>(ArchiveState.class);
    private int alreadyArchived;
    private int failed;
    private int planned;
    private long files;
    private long bytes;

    void add(ArchiveOutcome outcome) {
        switch (outcome.result()) {
            case ARCHIVED -> archived.merge(outcome.state(), 1, Integer::sum);
            case ALREADY_ARCHIVED -> alreadyArchived++;
            case FAILED -> failed++;
            case PLANNED -> planned++;
        }
        files += outcome.files();
        bytes += outcome.bytes();
    }

    int failed() {
        return failed;
    }

    String line(Duration elapsed) {
        int total = archived.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder states = new StringBuilder();
        for (ArchiveState state : ArchiveState.values()) {
            states.append(states.isEmpty() ? "" : ", ")
                    .append(state.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(archived.getOrDefault(state, 0));
        }
        String line = String.format(Locale.ROOT, "archived %d (%s), skipped %d (already archived), failed %d, "
                        + "files %d, bytes %s, time %.1fs",
                total, states, alreadyArchived, failed, files, humanBytes(bytes), elapsed.toMillis() / 1000.0);
        return planned == 0 ? line : "dry run: " + planned + " to do; " + line;
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
