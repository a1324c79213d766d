package io.predictionarchiver.poll;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.predictionarchiver.config.ApiProperties;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The one request budget shared by every API call (polls, list pages, retries): a token bucket of
 * {@code burst} permits refilled at {@code requestsPerMinute}. Over any window of length {@code T} at most
 * {@code burst + requestsPerMinute × T / 1 min} calls start.
 *
 * <p>Callers reserve rather than poll: {@link #acquire()} takes a permit at once, possibly on credit, and
 * completes when that permit's turn comes, so waiting costs a scheduled task and no thread, and callers are
 * served in the order they asked. A caller cancelled while it waits gives its permit back. The bucket reads
 * time from the scheduler, so virtual time drives it in tests.
 */
final class RateBudget {

    private final Bucket bucket;
    private final Scheduler scheduler;
    private final long requestsPerMinute;

    RateBudget(int requestsPerMinute, int burst, Scheduler scheduler) {
        if (requestsPerMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("requestsPerMinute > 0 and burst > 0 required but they were "
                    + requestsPerMinute + " and " + burst);
        }
        this.scheduler = scheduler;
        this.requestsPerMinute = requestsPerMinute;
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(new SchedulerTimeMeter(scheduler))
                .build();
    }

    static RateBudget from(ApiProperties properties, Scheduler scheduler) {
        return new RateBudget(properties.requestsPerMinute(), properties.burst(), scheduler);
    }

    /** Permits that may be taken now without waiting; negative while callers wait on credit. */
    long available() {
        return bucket.getAvailableTokens();
    }

    /** Permits the budget adds over {@code period}, at its sustained rate. */
    long refillOver(Duration period) {
        return requestsPerMinute * period.toNanos() / Duration.ofMinutes(1).toNanos();
    }

    /** Completes, on the scheduler when it had to wait, once the caller may send one request. */
    Mono<Void> acquire() {
        return Mono.defer(() -> {
            long waitNanos = bucket.consumeIgnoringRateLimits(1);
            if (waitNanos == 0) {
                return Mono.empty();
            }
            return Mono.delay(Duration.ofNanos(waitNanos), scheduler)
                    .doOnCancel(() -> bucket.addTokens(1))
                    .then();
        });
    }

    private record SchedulerTimeMeter(Scheduler scheduler) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return scheduler.now(TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
