package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import tools.jackson.databind.JsonNode;

/**
 * When to look at a prediction again: a fixed fraction of how long it has been running, within
 * {@code [minInterval, maxInterval]}.
 *
 * <p>{@code delay = clamp(k × age, minInterval, maxInterval)}, where {@code age} is measured from
 * {@code started_at} while the prediction is running and from {@code created_at} while it is
 * {@code starting} (queued or cold-booting), and from the start of watching when the body has neither.
 * {@code k} is {@value #RUNNING_FACTOR} once running and {@value #STARTING_FACTOR} while starting: a queue or a
 * cold boot says nothing about when the work will end, so it is worth fewer requests.
 *
 * <p>Bounds, for a prediction that ends {@code R} after its reference time: it is seen terminal at most
 * {@code max(minInterval, min(k × R, maxInterval))} after it ended (a 2 s image model within the minimum
 * interval, a 10 minute video within {@code maxInterval}); once past {@code minInterval / k} each delay is
 * {@code k} times the elapsed time, so the polls grow geometrically by {@code 1 + k} and their number is
 * {@code O(log R)} until {@code maxInterval} caps them (about 40 polls for a 10 minute run with the defaults,
 * against 200 at a fixed 3 s). Ages below zero (clock skew between the API and us) count as zero.
 */
record PollSchedule(Duration minInterval, Duration maxInterval) {

    static final double RUNNING_FACTOR = 0.2;
    static final double STARTING_FACTOR = 0.5;

    PollSchedule {
        if (minInterval.isNegative() || minInterval.isZero() || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("0 < minInterval <= maxInterval required but they were "
                    + minInterval + " and " + maxInterval);
        }
    }

    static PollSchedule from(PollProperties properties) {
        return new PollSchedule(properties.minInterval(), properties.maxInterval());
    }

    /**
     * The wait before the next poll of {@code latest}, a non-terminal prediction read at {@code now};
     * {@code watchingSince} stands in for its age when the body carries no timestamp.
     */
    Duration nextDelay(Prediction latest, Instant watchingSince, Instant now) {
        boolean starting = "starting".equals(latest.status());
        Instant startedAt = starting ? null : timestamp(latest, "started_at");
        Instant reference = firstPresent(startedAt, latest.createdAt(), watchingSince);
        double factor = starting ? STARTING_FACTOR : RUNNING_FACTOR;
        long ageNanos = Math.max(0, saturatedNanos(Duration.between(reference, now)));
        long delayNanos = (long) (ageNanos * factor);
        return Duration.ofNanos(Math.min(Math.max(delayNanos, minInterval.toNanos()), maxInterval.toNanos()));
    }

    private static Instant firstPresent(Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("watchingSince is required");
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException beyondLongRange) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@link Prediction} parses {@code created_at} only; {@code started_at} is read here the same way. */
    private static Instant timestamp(Prediction prediction, String field) {
        JsonNode node = prediction.body().get(field);
        if (node == null || !node.isString()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asString()).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
