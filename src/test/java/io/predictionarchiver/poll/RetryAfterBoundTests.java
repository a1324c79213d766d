package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestApiServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A {@code Retry-After} is honoured only within bounds (issue 17, findings 1 and 9): never longer than
 * {@code archiver.api.max-retry-after}, never past the id's {@code max-wait}, and read in all three HTTP date forms.
 * Real HTTP to a loopback server; the retry delays run on virtual time.
 */
class RetryAfterBoundTests {

    private static final PredictionId ID = PredictionId.of("t2s7f615pdrm40ck09v88sm224");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** The server's {@code Date}: the HTTP dates below are measured against it, not against the virtual clock. */
    private static final String SERVER_NOW = "Sun, 06 Nov 1994 08:49:37 GMT";

    private final TestApiServer server = new TestApiServer();
    /** Every delayed task scheduled (retry waits, the max-wait timeout), in order. */
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final VirtualTimeScheduler clock = new VirtualTimeScheduler(false) {
        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            if (delay > 0) {
                delays.add(Duration.ofNanos(unit.toNanos(delay)));
            }
            return super.schedule(task, delay, unit);
        }
    };

    @AfterEach
    void stop() {
        server.close();
        clock.dispose();
    }

    @Test
    void aRetryAfterOfDaysIsCutToTheMaxRetryAfter() {
        answer(throttled("999999", null));
        PredictionPoller poller = poller(Duration.ofHours(1));
        CompletableFuture<Prediction> result = poller.awaitTerminal(ID).toFuture();

        assertThat(retryDelay(poller, 2)).isEqualTo(Duration.ofSeconds(20));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(result).isCompleted());
        assertThat(result.join().succeeded()).isTrue();
    }

    @Test
    void aRetryAfterBeyondTheMaxWaitIsRetriedHalfwayToItInstead() {
        answer(throttled("15", null));
        PredictionPoller poller = poller(Duration.ofSeconds(10));
        CompletableFuture<Prediction> result = poller.awaitTerminal(ID).toFuture();

        assertThat(retryDelay(poller, 2)).isEqualTo(Duration.ofSeconds(5));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(result).isCompleted());
        assertThat(result.join().succeeded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:47 GMT", "Sunday, 06-Nov-94 08:49:47 GMT",
            "Sun Nov  6 08:49:47 1994"})
    void everyHttpDateFormOfRetryAfterIsWaitedFor(String tenSecondsLater) {
        answer(throttled(tenSecondsLater, SERVER_NOW));
        PredictionPoller poller = poller(Duration.ofHours(1));
        CompletableFuture<Prediction> result = poller.fetchOnce(ID).toFuture();

        assertThat(retryDelay(poller, 1)).isEqualTo(Duration.ofSeconds(10));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(result).isCompleted());
    }

    /** Answers the first request with {@code first}, every later one with the prediction. */
    private void answer(Mono<ServerResponse> first) {
        server.answer(call -> call == 1 ? first : fixture(200, "succeeded-array-flux-schnell.json"));
    }

    private static Mono<ServerResponse> throttled(String retryAfter, String date) {
        ServerResponse.BodyBuilder response = ServerResponse.status(429).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, retryAfter);
        if (date != null) {
            response.header(HttpHeaders.DATE, date);
        }
        return response.bodyValue(fixture("error-429.json"));
    }

    /**
     * The wait before the retry, as the client scheduled it (the {@code timedTasks}-th delayed task: awaiting also
     * schedules its {@code max-wait}), after checking that the retry goes out exactly when that wait is over.
     */
    private Duration retryDelay(PredictionPoller poller, int timedTasks) {
        await().atMost(PATIENCE).until(() -> poller.throttledResponses() == 1 && delays.size() == timedTasks);
        Duration delay = delays.get(timedTasks - 1);
        clock.advanceTimeBy(delay.minusMillis(1));
        assertThat(poller.pollsMade()).isEqualTo(1);
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(poller.pollsMade()).isEqualTo(2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(server.requests()).hasSize(2));
        return delay;
    }

    /** Polls each id on its own; the default {@code archiver.api.max-retry-after} (20 s). */
    private PredictionPoller poller(Duration maxWait) {
        var api = new ReplicateApi(new ApiProperties(ApiProvider.REPLICATE, server.baseUrl(), null, null, "r8_bound",
                6000, 100, Duration.ofSeconds(5)), WebClient.builder(), new RateBudget(6000, 100, clock), clock);
        var poll = new PollProperties(16, Duration.ofMillis(10), Duration.ofMillis(50), maxWait, 3,
                Duration.ofMillis(5), Duration.ofMillis(20));
        return new PredictionPoller(api, api, poll, clock);
    }
}
