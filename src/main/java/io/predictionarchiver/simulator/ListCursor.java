package io.predictionarchiver.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} of the list endpoint: a position (creation time, id) in newest-first order and which
 * way to read from it, older ({@code next}) or newer ({@code previous}). Positions rather than offsets keep pages
 * stable while new predictions arrive at the head.
 */
record ListCursor(Direction direction, Instant createdAt, String id) {

    /** Which side of the position a page is read from. */
    enum Direction {
        /** the results after the position, newest first: where {@code next} leads */
        OLDER,
        /** the results just before the position, the page that ends next to it: where {@code previous} leads */
        NEWER
    }

    /** One page of a newest-first list: {@code results.subList(from, to)}, with the cursors either side. */
    record Page(List<PredictionRun> results, ListCursor previous, ListCursor next) {
    }

    /**
     * The page of {@code newestFirst} that {@code cursor} selects ({@code null}: the first page), at most
     * {@code size} results; {@code previous} is set only when newer results exist, {@code next} only when older
     * ones do, as Replicate's pages have them.
     */
    static Page page(List<PredictionRun> newestFirst, ListCursor cursor, int size) {
        int from;
        int to;
        if (cursor == null) {
            from = 0;
            to = Math.min(size, newestFirst.size());
        } else if (cursor.direction == Direction.OLDER) {
            from = firstOlder(newestFirst, cursor);
            to = Math.min(from + size, newestFirst.size());
        } else {
            to = firstOlder(newestFirst, cursor);
            while (to > 0 && !cursor.isNewer(newestFirst.get(to - 1))) {
                to--;
            }
            from = Math.max(0, to - size);
        }
        List<PredictionRun> results = newestFirst.subList(from, to);
        if (results.isEmpty()) {
            return new Page(results, null, null);
        }
        return new Page(results,
                from > 0 ? at(Direction.NEWER, results.get(0)) : null,
                to < newestFirst.size() ? at(Direction.OLDER, results.get(results.size() - 1)) : null);
    }

    /** Reads a cursor this class encoded; {@link IllegalArgumentException} naming it otherwise. */
    static ListCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
            if (parts.length != 3 || !(parts[0].equals("o") || parts[0].equals("n"))) {
                throw new IllegalArgumentException("invalid cursor '" + cursor + "'");
            }
            return new ListCursor(parts[0].equals("o") ? Direction.OLDER : Direction.NEWER, Instant.parse(parts[1]),
                    parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }

    String encode() {
        String text = (direction == Direction.OLDER ? "o" : "n") + "|" + createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ListCursor at(Direction direction, PredictionRun run) {
        return new ListCursor(direction, run.createdAt(), run.id());
    }

    /** The index of the first run after this position in newest-first order; the size when there is none. */
    private static int firstOlder(List<PredictionRun> newestFirst, ListCursor cursor) {
        int index = 0;
        while (index < newestFirst.size() && !cursor.isOlder(newestFirst.get(index))) {
            index++;
        }
        return index;
    }

    /** Whether {@code run} comes after this position in newest-first order. */
    private boolean isOlder(PredictionRun run) {
        int byTime = run.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && run.id().compareTo(id) < 0);
    }

    /** Whether {@code run} comes before this position in newest-first order. */
    private boolean isNewer(PredictionRun run) {
        int byTime = run.createdAt().compareTo(createdAt);
        return byTime > 0 || (byTime == 0 && run.id().compareTo(id) > 0);
    }
}
