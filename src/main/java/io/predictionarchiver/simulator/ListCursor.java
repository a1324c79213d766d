package io.predictionarchiver.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the list endpoint: the position (creation time, id) of the last result a page
 * held. Positions rather than offsets keep pages stable while new predictions arrive at the head.
 */
record ListCursor(Instant createdAt, String id) {

    static ListCursor after(PredictionRun run) {
        return new ListCursor(run.createdAt(), run.id());
    }

    /** Reads a cursor this class encoded; {@link IllegalArgumentException} naming it otherwise. */
    static ListCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int separator = text.indexOf('|');
            if (separator < 0) {
                throw new IllegalArgumentException("invalid cursor '" + cursor + "'");
            }
            return new ListCursor(Instant.parse(text.substring(0, separator)), text.substring(separator + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "'", e);
        }
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code run} comes after this position in newest-first order. */
    boolean precedes(PredictionRun run) {
        int byTime = run.createdAt().compareTo(createdAt);
        return byTime < 0 || (byTime == 0 && run.id().compareTo(id) < 0);
    }
}
