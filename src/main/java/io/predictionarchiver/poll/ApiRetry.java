package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.WallTime;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The one retry policy of API calls, built once from {@link PollProperties} and shared: only a
 * {@link RetryableApiException} is retried (anything else, such as 401, 403 or 404, passes through at once),
 * at most {@code maxRetries} times, after an exponential backoff from {@code retryMinBackoff} capped at
 * {@code retryMaxBackoff}, jittered so that many ids failing together do not retry together. A longer
 * {@code Retry-After} from the server wins over the computed backoff. Delays run on the injected scheduler.
 * When retries run out the error becomes an {@link ApiUnavailableException} caused by the last failure.
 *
 * <p>{@link #before} gives the same policy for a call with a deadline (an id's {@code max-wait}): a retry that
 * would go out at or after the deadline goes out halfway to it instead, so that its answer can still arrive in
 * time rather than the id failing at the deadline with the one read that might have succeeded never sent.
 */
final class ApiRetry extends Retry {

    private static final Logger log = LoggerFactory.getLogger(ApiRetry.class);

    private final int maxRetries;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Scheduler scheduler;
    private final DoubleSupplier jitter;
    private final AtomicLong throttledResponses = new AtomicLong();

    ApiRetry(PollProperties properties, Scheduler scheduler) {
        this(properties, scheduler, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter values in {@code [0, 1]}; fixed in tests so that delays are exact */
    ApiRetry(PollProperties properties, Scheduler scheduler, DoubleSupplier jitter) {
        this.maxRetries = properties.maxRetries();
        this.minBackoff = properties.retryMinBackoff();
        this.maxBackoff = properties.retryMaxBackoff();
        this.scheduler = scheduler;
        this.jitter = jitter;
    }

    @Override
    public Publisher<?> generateCompanion(Flux<RetrySignal> signals) {
        return companion(signals, null);
    }

    /** This policy for a call that is of no use after {@code deadline}; retries count towards the same totals. */
    Retry before(Instant deadline) {
        return Retry.from(signals -> companion(signals, deadline));
    }

    private Publisher<?> companion(Flux<RetrySignal> signals, Instant deadline) {
        return signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            if (!(failure instanceof RetryableApiException retryable)) {
                return Mono.error(failure);
            }
            if (retryable.throttled()) {
                throttledResponses.incrementAndGet();
            }
            long retriesSoFar = signal.totalRetries();
            if (retriesSoFar >= maxRetries) {
                return Mono.error(exhausted(retryable, retriesSoFar));
            }
            Duration delay = withinDeadline(delay(retriesSoFar, retryable.retryAfter()), deadline);
            log.warn("{}; retry {} of {} in {}", retryable.getMessage(), retriesSoFar + 1, maxRetries, delay);
            return Mono.delay(delay, scheduler);
        });
    }

    /** Attempts the API answered with 429 so far, whether they were retried or not. */
    long throttledResponses() {
        return throttledResponses.get();
    }

    /**
     * Half-jittered exponential backoff: between half and all of {@code minBackoff × 2^retriesSoFar}, kept
     * within {@code [minBackoff, maxBackoff]}; a longer {@code retryAfter} replaces it.
     */
    Duration delay(long retriesSoFar, Duration retryAfter) {
        long floorNanos = minBackoff.toNanos();
        long ceilingNanos = maxBackoff.toNanos();
        boolean belowCeiling = retriesSoFar < Long.SIZE - 1 && floorNanos <= ceilingNanos >> retriesSoFar;
        long base = belowCeiling ? floorNanos << retriesSoFar : ceilingNanos;
        long jittered = base / 2 + (long) (base / 2 * jitter.getAsDouble());
        Duration backoff = Duration.ofNanos(Math.max(jittered, floorNanos));
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    private Duration withinDeadline(Duration delay, Instant deadline) {
        if (deadline == null) {
            return delay;
        }
        Duration left = Duration.between(WallTime.of(scheduler), deadline);
        if (delay.compareTo(left) < 0) {
            return delay;
        }
        return left.isNegative() ? Duration.ZERO : left.dividedBy(2);
    }

    private ApiUnavailableException exhausted(RetryableApiException last, long retries) {
        String later = last.predictionId() == null ? "run again later" : "archive the id again later";
        String advice = last.throttled()
                ? "the API keeps throttling: lower archiver.api.requests-per-minute or " + later
                : "check the API's status and " + later;
        String subject = last.predictionId() == null ? "an API call" : "prediction " + last.predictionId();
        return new ApiUnavailableException(last.predictionId(),
                "gave up on " + subject + " after " + retries + " retries (archiver.poll.max-retries): "
                        + last.getMessage() + "; " + advice,
                last);
    }
}
