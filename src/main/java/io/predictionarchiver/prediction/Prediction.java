package io.predictionarchiver.prediction;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * A prediction object as the API returned it ({@link #body()}, kept verbatim for the manifest) with the few
 * fields the archiver reads parsed out of it, and where the body came from ({@link #origin()}): a list entry
 * omits {@code logs}, so only a body read whole may stand as the archive record. Unknown fields are kept in the
 * body and otherwise ignored; an unknown status counts as still running.
 */
public record Prediction(
        PredictionId id,
        String status,
        Instant createdAt,
        Instant completedAt,
        boolean dataRemoved,
        JsonNode body,
        Origin origin) {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    /** Where a body came from; {@code archive.record} in the manifest (lower case there). */
    public enum Origin {
        /** the body of {@code GET {prediction-path}}: the whole prediction, {@code logs} included */
        GET,
        /** the body of a webhook delivery (or a queue message carrying one): the whole prediction */
        WEBHOOK,
        /** an entry of a list page: abbreviated, without {@code logs} */
        LIST;

        /** The manifest spelling: {@code get}, {@code webhook}, {@code list}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Prediction {
        Objects.requireNonNull(origin, "origin");
    }

    /** {@link #from(JsonNode, Origin)} of the body {@code GET {prediction-path}} answered. */
    public static Prediction from(JsonNode body) {
        return from(body, Origin.GET);
    }

    /**
     * Reads a prediction body that came from {@code origin}. Fails with {@link IllegalArgumentException} when
     * {@code id} is missing or invalid; every other field is optional.
     */
    public static Prediction from(JsonNode body, Origin origin) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("prediction body is not a JSON object");
        }
        JsonNode id = body.get("id");
        if (id == null || !id.isString()) {
            throw new IllegalArgumentException("prediction body has no string 'id'");
        }
        return new Prediction(
                PredictionId.of(id.asString()),
                text(body, "status"),
                instant(body, "created_at"),
                instant(body, "completed_at"),
                body.path("data_removed").asBoolean(false),
                body,
                origin);
    }

    public boolean terminal() {
        return status != null && TERMINAL.contains(status);
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    /** The {@code output} field; a missing node when the body has none. */
    public JsonNode output() {
        return body.path("output");
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isString() ? node.asString() : null;
    }

    private static Instant instant(JsonNode body, String field) {
        String text = text(body, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
