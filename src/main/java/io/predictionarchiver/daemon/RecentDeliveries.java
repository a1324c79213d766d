package io.predictionarchiver.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code webhook-id}s of the webhook deliveries this daemon processed lately, so that a redelivery is
 * answered without being processed again. In memory, bounded in time and in size; thread-safe.
 *
 * <p><b>How long.</b> An id is remembered for the {@code retention} given, which the daemon sets to twice the
 * signature tolerance: a delivery's {@code webhook-timestamp} may lie up to the tolerance ahead of its arrival
 * and still verifies up to the tolerance after that timestamp, so a replay of the same signed bytes is refused
 * by the signature check once its id has been forgotten here.
 *
 * <p><b>How many.</b> At most {@code capacity} ids (the daemon uses {@link #DEFAULT_CAPACITY}, some 15 MB for
 * typical ids); beyond that the oldest is forgotten first.
 *
 * <p>Forgetting is harmless: what a delivery does is idempotent (tracking an id tracked before leaves it as
 * it is, and an archived prediction is not archived twice), so a redelivery arriving after its id was
 * forgotten, or after a restart emptied this record, costs a few S3 requests and changes nothing.
 */
final class RecentDeliveries {

    static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final Duration retention;
    /** Arrival order, which is also the order of the instants recorded (ignoring clock steps back). */
    private final LinkedHashMap<String, Instant> processedAt = new LinkedHashMap<>();

    RecentDeliveries(int capacity, Duration retention) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity > 0 required but it was " + capacity);
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention > 0 required but it was " + retention);
        }
        this.capacity = capacity;
        this.retention = retention;
    }

    /** Whether {@code webhookId} was {@linkplain #record recorded} within the retention before {@code now}. */
    synchronized boolean contains(String webhookId, Instant now) {
        forgetOlderThan(now.minus(retention));
        return processedAt.containsKey(webhookId);
    }

    /** Remembers {@code webhookId} as processed at {@code now}; call it only once the delivery's work is done. */
    synchronized void record(String webhookId, Instant now) {
        forgetOlderThan(now.minus(retention));
        processedAt.remove(webhookId);
        processedAt.put(webhookId, now);
        Iterator<String> oldestFirst = processedAt.keySet().iterator();
        while (processedAt.size() > capacity) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    synchronized int size() {
        return processedAt.size();
    }

    private void forgetOlderThan(Instant cutoff) {
        Iterator<Map.Entry<String, Instant>> oldestFirst = processedAt.entrySet().iterator();
        while (oldestFirst.hasNext() && !oldestFirst.next().getValue().isAfter(cutoff)) {
            oldestFirst.remove();
        }
    }
}
