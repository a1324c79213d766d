package io.predictionarchiver.queue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.predictionarchiver.prediction.InvalidPredictionIdException;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one SQS message body asks for. Bodies are JSON: {@code {"id": "..."}}, {@code {"ids": [...]}}, a
 * Replicate prediction object (it has a {@code status}), or an S3 event notification naming objects that list
 * ids; any of them may come wrapped in an SNS notification ({@code "Type": "Notification"}). The S3 test event
 * sent when a notification is configured asks for nothing.
 */
sealed interface QueueMessage {

    /** Ids to archive, duplicates dropped; empty when the message asks for nothing. */
    record Ids(List<PredictionId> ids) implements QueueMessage {
    }

    /**
     * A prediction object, archived from this body when terminal and polled otherwise. It is taken as a webhook
     * would carry it, whole, and recorded as {@code webhook}.
     */
    record Delivered(Prediction prediction) implements QueueMessage {
    }

    /** Objects that list ids, one a line, as created objects of an S3 event notification. */
    record IdLists(List<ListObject> objects) implements QueueMessage {
    }

    /** An object holding ids; {@code key} decoded from the event's URL encoding. */
    record ListObject(String bucket, String key) {
    }

    /** Reads a body; fails with {@link UnreadableMessageException} saying why it is none of the above. */
    static QueueMessage read(String body, JsonMapper mapper) {
        return read(parse(body, mapper), mapper);
    }

    private static QueueMessage read(JsonNode root, JsonMapper mapper) {
        if (!root.isObject()) {
            throw new UnreadableMessageException("the body is not a JSON object");
        }
        if ("Notification".equals(root.path("Type").asString(null)) && root.path("Message").isString()) {
            return read(parse(root.path("Message").asString(), mapper), mapper);
        }
        if (root.has("Records")) {
            return idLists(root.path("Records"));
        }
        if ("s3:TestEvent".equals(root.path("Event").asString(null))) {
            return new Ids(List.of());
        }
        if (root.has("ids")) {
            return ids(root.path("ids"));
        }
        if (root.has("status")) {
            try {
                return new Delivered(Prediction.from(root, Prediction.Origin.WEBHOOK));
            } catch (IllegalArgumentException e) {
                throw new UnreadableMessageException("a prediction object that cannot be read: " + e.getMessage());
            }
        }
        if (root.has("id")) {
            return new Ids(List.of(id(root.path("id"))));
        }
        throw new UnreadableMessageException("expected \"id\", \"ids\", a prediction object or an S3 event "
                + "notification, but the body has none of them");
    }

    private static JsonNode parse(String body, JsonMapper mapper) {
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            throw new UnreadableMessageException("the body is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static Ids ids(JsonNode array) {
        if (!array.isArray()) {
            throw new UnreadableMessageException("\"ids\" must be an array of prediction ids");
        }
        Set<PredictionId> ids = new LinkedHashSet<>();
        array.forEach(element -> ids.add(id(element)));
        return new Ids(List.copyOf(ids));
    }

    private static PredictionId id(JsonNode value) {
        if (!value.isString()) {
            throw new UnreadableMessageException("a prediction id must be a string, but was " + value);
        }
        try {
            return PredictionId.of(value.asString());
        } catch (InvalidPredictionIdException e) {
            throw new UnreadableMessageException(e.getMessage());
        }
    }

    private static IdLists idLists(JsonNode records) {
        if (!records.isArray()) {
            throw new UnreadableMessageException("\"Records\" of an S3 event notification must be an array");
        }
        List<ListObject> objects = new ArrayList<>();
        for (JsonNode record : records) {
            // Removals and other events of the same notification configuration name nothing to read.
            if (!record.path("eventName").asString("").startsWith("ObjectCreated:")) {
                continue;
            }
            String bucket = record.path("s3").path("bucket").path("name").asString("");
            String key = record.path("s3").path("object").path("key").asString("");
            if (bucket.isEmpty() || key.isEmpty()) {
                throw new UnreadableMessageException("an S3 event record without s3.bucket.name or s3.object.key");
            }
            objects.add(new ListObject(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
        }
        return new IdLists(List.copyOf(objects));
    }
}
