package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.SchedulerClock;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link PredictionPoller#listCreatedBetween} against the real simulator over HTTP, three results a page:
 * paging, the window, one budget permit per page shared with polls, and retries of a throttled page.
 */
class PredictionListingOnSimulatorTests {

    private static final String TOKEN = "r8_ListingTestToken_0123456789";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int PAGE_SIZE = 3;
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Scheduler scheduler = Schedulers.newParallel("listing-tests");

    private final VirtualTimeScheduler virtualTime = VirtualTimeScheduler.create();
    private ReplicateSimulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.dispose();
    }

    @Test
    void followsNextAcrossPagesNewestFirstWithOneCallPerPage() {
        List<String> ids = start(Clock.fixed(NOW, ZoneOffset.UTC), 0, 8, NOW);
        PredictionPoller poller = poller(ApiProvider.REPLICATE, null, 6000, 100, scheduler);

        StepVerifier.create(poller.listCreatedBetween(NOW.minus(Duration.ofHours(1)), NOW)
                        .map(prediction -> prediction.id().value()))
                .expectNextSequence(ids)
                .expectComplete()
                .verify(PATIENCE);
        // 3 + 3 + 2 results; a wrong or missing token would have been answered 401
        assertThat(simulator.stats().apiCalls()).isEqualTo(3);
    }

    @Test
    void onlyPredictionsCreatedWithinTheWindowAreListed() {
        List<String> ids = start(Clock.fixed(NOW, ZoneOffset.UTC), 0, 8, NOW);
        PredictionPoller poller = poller(ApiProvider.REPLICATE, null, 6000, 100, scheduler);
        // created 1 to 8 minutes ago: the window holds those of 2 to 6 minutes ago
        Instant since = NOW.minus(Duration.ofSeconds(6 * 60 + 30));
        Instant until = NOW.minus(Duration.ofSeconds(90));

        StepVerifier.create(poller.listCreatedBetween(since, until).map(prediction -> prediction.id().value()))
                .expectNextSequence(ids.subList(1, 6))
                .expectComplete()
                .verify(PATIENCE);
        assertThat(simulator.stats().apiCalls()).isEqualTo(2);
    }

    @Test
    void aggregatorsListUnderTheirPrefixWhenAListPathIsSet() {
        List<String> ids = start(Clock.fixed(NOW, ZoneOffset.UTC), 0, 4, NOW);
        PredictionPoller poller = poller(ApiProvider.COMETAPI, "/replicate/v1/predictions", 6000, 100, scheduler);

        StepVerifier.create(poller.listCreatedBetween(null, null).map(prediction -> prediction.id().value()))
                .expectNextSequence(ids)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(simulator.stats().apiCalls()).isEqualTo(2);
    }

    @Test
    void everyPageWaitsForAPermitOfTheRateBudget() {
        // the simulator throttles a fourth call within a minute of virtual time; the budget allows 3 at once,
        // then one a minute, so the fourth page must wait for the minute to pass
        List<String> ids = start(new SchedulerClock(virtualTime), 3, 10, Instant.EPOCH);
        PredictionPoller poller = poller(ApiProvider.REPLICATE, null, 1, 3, virtualTime);
        List<Prediction> listed = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> done = poller.listCreatedBetween(null, null).doOnNext(listed::add).then().toFuture();
        advanceUntilDone(done);

        assertThat(listed).extracting(prediction -> prediction.id().value()).containsExactlyElementsOf(ids);
        assertThat(simulator.stats().apiCalls()).isEqualTo(4);
        assertThat(simulator.stats().throttled()).isZero();
    }

    @Test
    void pollsShareTheBudgetThePagesTookFrom() {
        // three pages take the whole burst and the simulator's quota for the first minute
        List<String> ids = start(new SchedulerClock(virtualTime), 3, 9, Instant.EPOCH);
        PredictionPoller poller = poller(ApiProvider.REPLICATE, null, 1, 3, virtualTime);
        StepVerifier.create(poller.listCreatedBetween(null, null)).expectNextCount(9).expectComplete().verify(PATIENCE);
        assertThat(simulator.stats().apiCalls()).isEqualTo(3);

        // so a poll waits for the next minute's permit; sent earlier, it would be throttled
        CompletableFuture<Prediction> poll = poller.fetchOnce(PredictionId.of(ids.get(0))).toFuture();
        advanceUntilDone(poll);

        assertThat(poll).isCompleted();
        assertThat(simulator.stats().apiCalls(ids.get(0))).isEqualTo(1);
        assertThat(simulator.stats().throttled()).isZero();
    }

    @Test
    void aThrottledPageIsRetriedOnceItsRetryAfterHasPassed() {
        // two calls a minute: the third page is answered 429 with Retry-After: 60
        List<String> ids = start(new SchedulerClock(virtualTime), 2, 7, Instant.EPOCH);
        PredictionPoller poller = poller(ApiProvider.REPLICATE, null, 6000, 100, virtualTime);
        List<Prediction> listed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = poller.listCreatedBetween(null, null).doOnNext(listed::add).then().toFuture();
        await().atMost(PATIENCE).until(() -> simulator.stats().throttled() == 1);

        advanceUntilDone(done);

        // a retry before the Retry-After would have met the same minute, and another 429
        assertThat(done).isCompletedWithValue(null);
        assertThat(listed).extracting(prediction -> prediction.id().value()).containsExactlyElementsOf(ids);
        assertThat(simulator.stats().throttled()).isEqualTo(1);
        assertThat(simulator.stats().apiCalls()).isEqualTo(4);
    }

    /**
     * Advances virtual time in steps of 10 s, a sixth of the simulator's rate window, so that a call sent too
     * early still lands in the window it should have waited out.
     */
    private void advanceUntilDone(CompletableFuture<?> future) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            virtualTime.advanceTimeBy(Duration.ofSeconds(10));
            assertThat(future).isDone();
        });
    }

    /**
     * Starts the simulator and registers {@code count} succeeded predictions created 1, 2, ... minutes before
     * {@code now}; returns their ids newest first.
     */
    private List<String> start(Clock clock, int requestsPerMinute, int count, Instant now) {
        simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .clock(clock)
                .expectedToken(TOKEN)
                .listPageSize(PAGE_SIZE)
                .requestsPerMinute(requestsPerMinute)
                .build());
        List<String> ids = IntStream.rangeClosed(1, count).mapToObj(minutes -> "listed-" + minutes).toList();
        for (int i = 0; i < count; i++) {
            simulator.register(SimulatedPrediction.generated(ids.get(i))
                    .createdAt(now.minus(Duration.ofMinutes(i + 1)))
                    .build());
        }
        return ids;
    }

    private PredictionPoller poller(ApiProvider provider, String listPath, int requestsPerMinute, int burst,
            Scheduler clock) {
        URI baseUrl = simulator.baseUrl();
        // Retry-After honoured up to the simulator's whole rate window (60 s), beyond the default cap of 20 s
        var api = new ApiProperties(provider, baseUrl, null, listPath, TOKEN, requestsPerMinute, burst,
                Duration.ofSeconds(5), Duration.ofMinutes(1));
        var poll = new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(4));
        return PredictionPoller.create(api, poll, WebClient.builder(), clock);
    }
}
