package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestApiServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The poller compares its own time with the API's timestamps, so on Reactor's real schedulers it must read the
 * wall clock: their {@code now(NANOSECONDS)} counts from an arbitrary origin (the machine's uptime), which made
 * every prediction look newly started and the list's lower bound land in 1970. Virtual-time tests cannot see
 * this, since there both clocks are the same.
 */
class WallClockTests {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Scheduler scheduler = Schedulers.newParallel("wall-clock-tests");

    private final TestApiServer api = new TestApiServer();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private record Sent(URI url, long nanoTime) {
    }

    @AfterEach
    void stopServer() {
        api.close();
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @Test
    void pollByListAsksForPredictionsCreatedInTheLastMinutesOfTheWallClock() {
        api.answer(call -> api.requests().get(call - 1).path().equals("/v1/predictions")
                ? json(200, "{\"next\": null, \"results\": [" + succeeded("watched") + "]}")
                // the first look by single read finds it still running: only the list can show it done
                : json(200, processing("watched", Instant.now())));
        PollProperties byList = poll(Duration.ofMillis(100), Duration.ofSeconds(2))
                .withByList(true, Duration.ofMillis(100));

        StepVerifier.create(poller(byList).awaitTerminal(PredictionId.of("watched")))
                .assertNext(prediction -> assertThat(prediction.succeeded()).isTrue())
                .expectComplete()
                .verify(PATIENCE);

        URI firstPage = sent.stream().map(Sent::url).filter(url -> url.getPath().equals("/v1/predictions"))
                .findFirst().orElseThrow();
        String createdAfter = UriComponentsBuilder.fromUri(firstPage).build().getQueryParams()
                .getFirst("created_after");
        assertThat(Instant.parse(createdAfter)).isBetween(Instant.now().minus(Duration.ofMinutes(10)), Instant.now());
    }

    @Test
    void aPredictionRunningForLongIsPolledAtTheLongestIntervalNotTheShortest() {
        Instant startedLongAgo = Instant.now().minus(Duration.ofHours(1));
        api.answer(call -> json(200, call == 1 ? processing("long-running", startedLongAgo)
                : succeeded("long-running")));
        Duration longest = Duration.ofSeconds(2);

        StepVerifier.create(poller(poll(Duration.ofMillis(50), longest)).awaitTerminal(PredictionId.of("long-running")))
                .assertNext(prediction -> assertThat(prediction.succeeded()).isTrue())
                .expectComplete()
                .verify(PATIENCE);

        assertThat(sent).hasSize(2);
        assertThat(Duration.ofNanos(sent.get(1).nanoTime() - sent.get(0).nanoTime()))
                .as("wait between the two polls of a prediction started an hour ago")
                .isGreaterThanOrEqualTo(longest.minusMillis(100));
    }

    private PredictionPoller poller(PollProperties poll) {
        var properties = new ApiProperties(ApiProvider.REPLICATE, api.baseUrl(), null, null, "r8_wall_clock", 6000,
                100, Duration.ofSeconds(5));
        WebClient.Builder recording = WebClient.builder().filter((request, next) -> {
            sent.add(new Sent(request.url(), System.nanoTime()));
            return next.exchange(request);
        });
        return PredictionPoller.create(properties, poll, recording, scheduler);
    }

    private static PollProperties poll(Duration minInterval, Duration maxInterval) {
        return new PollProperties(16, minInterval, maxInterval, Duration.ofHours(1), 3, Duration.ofMillis(10),
                Duration.ofMillis(20));
    }

    private static String succeeded(String id) {
        return "{\"id\": \"" + id + "\", \"status\": \"succeeded\", \"created_at\": \"" + Instant.now()
                + "\", \"completed_at\": \"" + Instant.now() + "\", \"output\": \"https://replicate.delivery/x/"
                + id + ".png\"}";
    }

    private static String processing(String id, Instant startedAt) {
        return "{\"id\": \"" + id + "\", \"status\": \"processing\", \"created_at\": \"" + startedAt
                + "\", \"started_at\": \"" + startedAt + "\", \"output\": null}";
    }
}
