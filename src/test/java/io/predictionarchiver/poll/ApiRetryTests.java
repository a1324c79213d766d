package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ApiRetryTests {

    private static final PredictionId ID = PredictionId.of("t2s7f615pdrm40ck09v88sm224");

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Long> attemptMillis = new CopyOnWriteArrayList<>();

    @Test
    void aThrottledCallWaitsAtLeastTheRetryAfterTheServerAskedFor() {
        ApiRetry retry = retry(5, Duration.ofSeconds(1), Duration.ofSeconds(2));
        Supplier<Mono<String>> call = () -> failingTimes(1, throttled(Duration.ofSeconds(10))).retryWhen(retry);

        StepVerifier.withVirtualTime(call, () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(attemptMillis).containsExactly(0L, 10_000L);
    }

    @Test
    void aRetryAfterShorterThanTheBackoffDoesNotShortenIt() {
        ApiRetry retry = retry(5, Duration.ofSeconds(4), Duration.ofSeconds(8));
        Supplier<Mono<String>> call = () -> failingTimes(1, throttled(Duration.ofSeconds(1))).retryWhen(retry);

        StepVerifier.withVirtualTime(call, () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(attemptMillis).containsExactly(0L, 4_000L);
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoffUpToTheCapThenSucceed() {
        ApiRetry retry = retry(5, Duration.ofSeconds(1), Duration.ofSeconds(3));
        Supplier<Mono<String>> call = () -> failingTimes(4, serverError()).retryWhen(retry);

        StepVerifier.withVirtualTime(call, () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(attemptMillis).containsExactly(0L, 1_000L, 3_000L, 6_000L, 9_000L);
    }

    @Test
    void jitterKeepsEachDelayBetweenHalfAndAllOfTheExponentialStep() {
        for (double jitter : new double[] {0.0, 0.3, 0.999}) {
            ApiRetry retry = new ApiRetry(properties(5, Duration.ofSeconds(1), Duration.ofSeconds(60)), clock,
                    () -> jitter);
            assertThat(retry.delay(0, null)).isEqualTo(Duration.ofSeconds(1));
            assertThat(retry.delay(3, null)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(retry.delay(10, null)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
            assertThat(retry.delay(5_000, null)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void exhaustedRetriesEndInApiUnavailableNamingTheIdAndTheLastFailure() {
        ApiRetry retry = retry(3, Duration.ofSeconds(1), Duration.ofSeconds(1));
        Supplier<Mono<String>> call = () -> failingTimes(100, serverError()).retryWhen(retry);

        StepVerifier.withVirtualTime(call, () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiUnavailableException.class)
                            .hasMessageContaining("prediction " + ID)
                            .hasMessageContaining("after 3 retries (archiver.poll.max-retries)")
                            .hasMessageContaining("HTTP 503")
                            .hasCauseInstanceOf(RetryableApiException.class);
                    assertThat(((ApiUnavailableException) error).predictionId()).isEqualTo(ID);
                })
                .verify();
        assertThat(attemptMillis).hasSize(4);
    }

    @Test
    void exhaustedRetriesOnThrottlingPointAtTheRateBudget() {
        ApiRetry retry = retry(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        Supplier<Mono<String>> call = () -> failingTimes(100, throttled(null)).retryWhen(retry);

        StepVerifier.withVirtualTime(call, () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("archiver.api.requests-per-minute"))
                .verify();
    }

    @Test
    void authenticationAndNotFoundErrorsAreNeverRetried() {
        ApiRetry retry = retry(5, Duration.ofSeconds(1), Duration.ofSeconds(1));
        var rejected = new ApiAuthenticationException(ID, URI.create("https://api.replicate.com"), 401, true);
        var missing = new PredictionNotFoundException(ID, URI.create("https://api.replicate.com/v1/predictions/x"));

        for (RuntimeException permanent : List.of(rejected, missing)) {
            attemptMillis.clear();
            StepVerifier.withVirtualTime(() -> failingTimes(100, permanent).retryWhen(retry), () -> clock,
                            Long.MAX_VALUE)
                    .expectErrorMatches(error -> error == permanent)
                    .verify();
            assertThat(attemptMillis).hasSize(1);
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-20T10:00:00Z");

        assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).isNull();
    }

    @Test
    void anHttpDateIsMeasuredAgainstTheServersDateHeader() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "Fri, 20 Nov 2026 10:00:45 GMT");
        headers.set(HttpHeaders.DATE, "Fri, 20 Nov 2026 10:00:00 GMT");

        assertThat(RetryAfter.from(headers, Instant.parse("2030-01-01T00:00:00Z"))).isEqualTo(Duration.ofSeconds(45));
        assertThat(RetryAfter.from(new HttpHeaders(), Instant.EPOCH)).isNull();
    }

    private ApiRetry retry(int maxRetries, Duration minBackoff, Duration maxBackoff) {
        return new ApiRetry(properties(maxRetries, minBackoff, maxBackoff), clock, () -> 1.0);
    }

    private static PollProperties properties(int maxRetries, Duration minBackoff, Duration maxBackoff) {
        return new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(60),
                maxRetries, minBackoff, maxBackoff);
    }

    /** Fails with {@code failure} on the first {@code failures} subscriptions, then emits "ok". */
    private Mono<String> failingTimes(int failures, RuntimeException failure) {
        return Mono.defer(() -> {
            attemptMillis.add(clock.now(TimeUnit.MILLISECONDS));
            return attemptMillis.size() <= failures ? Mono.error(failure) : Mono.just("ok");
        });
    }

    private static RetryableApiException throttled(Duration retryAfter) {
        return new RetryableApiException(ID, "prediction " + ID + ": HTTP 429 from https://api.example", retryAfter,
                true, null);
    }

    private static RetryableApiException serverError() {
        return new RetryableApiException(ID, "prediction " + ID + ": HTTP 503 from https://api.example", null, false,
                null);
    }
}
