package io.predictionarchiver.tracking;

import java.time.Instant;

import io.predictionarchiver.prediction.PredictionId;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body of one tracking marker. Active markers carry the lease; final markers carry the outcome. Times
 * are written as ISO-8601 strings so that an operator can read a marker with any S3 tool.
 */
record Marker(PredictionId id, State state, int attempts, String leaseOwner, Instant leaseExpiresAt,
        Instant acceptedAt, Instant updatedAt, String archiveState, String manifestKey, String reason) {

    static Marker accepted(PredictionId id, Instant now) {
        return new Marker(id, State.PENDING, 0, null, null, now, now, null, null, null);
    }

    /** Nobody holds it, its lease expired, or {@code owner} itself holds it (a restart under the same name). */
    boolean claimableBy(String owner, Instant now) {
        return leaseOwner == null || owner.equals(leaseOwner) || !leaseExpiresAt.isAfter(now);
    }

    Marker claimedBy(String owner, Instant expiresAt, Instant now) {
        return new Marker(id, state, attempts + 1, owner, expiresAt, acceptedAt, now, null, null, null);
    }

    Marker leased(String owner, Instant expiresAt, State next, Instant now) {
        return new Marker(id, next, attempts, owner, expiresAt, acceptedAt, now, null, null, null);
    }

    Marker released(Instant now) {
        return new Marker(id, state, attempts, null, null, acceptedAt, now, null, null, null);
    }

    Marker finished(State outcome, String archiveState, String manifestKey, String reason, Instant now) {
        return new Marker(id, outcome, attempts, null, null, acceptedAt, now, archiveState, manifestKey, reason);
    }

    TrackedView view() {
        return new TrackedView(id, state, archiveState, manifestKey, reason, attempts, updatedAt);
    }

    byte[] toJson(JsonMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("id", id.value());
        json.put("state", state.json());
        json.put("attempts", attempts);
        json.put("lease_owner", leaseOwner);
        json.put("lease_expires_at", text(leaseExpiresAt));
        json.put("accepted_at", text(acceptedAt));
        json.put("updated_at", text(updatedAt));
        json.put("archive_state", archiveState);
        json.put("manifest_key", manifestKey);
        json.put("reason", reason);
        return mapper.writeValueAsBytes(json);
    }

    static Marker fromJson(JsonMapper mapper, byte[] body) {
        JsonNode json = mapper.readTree(body);
        return new Marker(PredictionId.of(json.path("id").asString()), State.of(json.path("state").asString()),
                json.path("attempts").asInt(), string(json, "lease_owner"), instant(json, "lease_expires_at"),
                instant(json, "accepted_at"), instant(json, "updated_at"), string(json, "archive_state"),
                string(json, "manifest_key"), string(json, "reason"));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String string(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Instant instant(JsonNode json, String field) {
        String value = string(json, field);
        return value == null ? null : Instant.parse(value);
    }
}
