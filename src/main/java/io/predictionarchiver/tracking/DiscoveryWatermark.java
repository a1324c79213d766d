package io.predictionarchiver.tracking;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

import io.predictionarchiver.prediction.ArchiveException;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How far discovery has listed, kept at {@code P discovery/watermark.json} as
 * {@code {"newest_created_at": "...", "updated_at": "..."}}: every prediction created up to
 * {@code newest_created_at} that the list endpoint showed is tracked.
 *
 * <p><b>Forward only.</b> A raise reads the object, writes only when its value is newer, and writes
 * conditionally on the version read ({@code If-Match}, or {@code If-None-Match: *} for the first one); a daemon
 * whose write lost to another's reads again and compares again, so of several daemons raising it at once the
 * newest value stays. That holds where conditional writes are atomic (S3). A store that checks {@code If-Match}
 * and writes in two steps (S3Proxy) may let an older value win a race now and then; the cost is a longer
 * re-listing on the next look, whose ids are accepted again idempotently.
 */
final class DiscoveryWatermark {

    /** Lost races before a raise gives up (its look fails and the next one tries again). */
    static final int MAX_ATTEMPTS = 5;

    private static final String NEWEST = "newest_created_at";

    private record Stored(Instant newestCreatedAt, String etag) {
    }

    private final MarkerObjects objects;
    private final String key;
    private final JsonMapper mapper;
    private final Supplier<Instant> now;

    DiscoveryWatermark(MarkerObjects objects, String key, JsonMapper mapper, Supplier<Instant> now) {
        this.objects = objects;
        this.key = key;
        this.mapper = mapper;
        this.now = now;
    }

    Mono<Optional<Instant>> read() {
        return stored().map(stored -> Optional.of(stored.newestCreatedAt())).defaultIfEmpty(Optional.empty());
    }

    /** Raises the stored value to {@code candidate} unless it is newer already; emits the value stored after. */
    Mono<Instant> raiseTo(Instant candidate) {
        if (candidate == null) {
            return Mono.error(new IllegalArgumentException("a discovery watermark needs a creation time, not null"));
        }
        return Mono.defer(() -> stored().map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(current -> {
                    if (current.isPresent() && !current.get().newestCreatedAt().isBefore(candidate)) {
                        return Mono.just(current.get().newestCreatedAt());
                    }
                    return objects.writeJson(key, json(candidate), current.map(Stored::etag).orElse(null))
                            .thenReturn(candidate);
                })
                // empty: another daemon wrote in between; read its value and compare again
                .repeatWhenEmpty(MAX_ATTEMPTS - 1, attempts -> attempts)
                .onErrorMap(IllegalStateException.class, e -> new ArchiveException(null, "could not raise the "
                        + "discovery watermark " + key + " to " + candidate + ": it changed under each of "
                        + MAX_ATTEMPTS + " attempts", e));
    }

    private Mono<Stored> stored() {
        return objects.readBytes(null, key).map(bytes -> new Stored(parse(bytes.asByteArray()),
                bytes.response().eTag()));
    }

    private Instant parse(byte[] body) {
        try {
            return Instant.parse(mapper.readTree(body).path(NEWEST).asString());
        } catch (JacksonException | DateTimeParseException e) {
            throw new ArchiveException(null, "the discovery watermark " + key + " holds no readable '" + NEWEST
                    + "' (" + e.getMessage() + "); delete it to have discovery start again from "
                    + "archiver.discovery.lookback", e);
        }
    }

    private byte[] json(Instant newestCreatedAt) {
        ObjectNode json = mapper.createObjectNode();
        json.put(NEWEST, newestCreatedAt.toString());
        json.put("updated_at", now.get().toString());
        return mapper.writeValueAsBytes(json);
    }
}
