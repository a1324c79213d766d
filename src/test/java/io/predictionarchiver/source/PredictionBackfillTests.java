package io.predictionarchiver.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.poll.ListEndpointUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatedPrediction.Outcome;
import io.predictionarchiver.simulator.SimulatorSettings;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PredictionBackfillTests {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void ordersEarliestCompletedFirstThenRunningOldestFirstThenDataRemoved() {
        // as a newest-first listing would give them
        Flux<Prediction> listing = Flux.just(
                prediction("starting-new", "starting", minutesAgo(1), null, false),
                prediction("queued-unknown-status", "queued_upstream", minutesAgo(3), null, false),
                prediction("processing-old", "processing", minutesAgo(5), null, false),
                prediction("canceled-mid", "canceled", minutesAgo(31), minutesAgo(30), false),
                prediction("aborted-never-started", "aborted", minutesAgo(40), null, false),
                prediction("succeeded-earliest", "succeeded", minutesAgo(52), minutesAgo(50), false),
                prediction("failed-latest", "failed", minutesAgo(58), minutesAgo(10), false),
                prediction("removed-later", "succeeded", minutesAgo(62), minutesAgo(61), true),
                prediction("removed-first", "succeeded", minutesAgo(75), minutesAgo(70), true));

        StepVerifier.create(new PredictionBackfill((since, until) -> listing).idsCreatedBetween(null, null))
                .assertNext(ids -> assertThat(ids).extracting(PredictionId::value).containsExactly(
                        "succeeded-earliest", "aborted-never-started", "canceled-mid", "failed-latest",
                        "processing-old", "queued-unknown-status", "starting-new",
                        "removed-first", "removed-later"))
                .verifyComplete();
    }

    @Test
    void equalInstantsAreOrderedByIdAndAnIdListedTwiceCountsOnce() {
        Flux<Prediction> listing = Flux.just(
                prediction("b", "succeeded", minutesAgo(5), minutesAgo(4), false),
                prediction("a", "succeeded", minutesAgo(5), minutesAgo(4), false),
                prediction("b", "succeeded", minutesAgo(5), minutesAgo(4), false));

        StepVerifier.create(new PredictionBackfill((since, until) -> listing).idsCreatedBetween(null, null))
                .assertNext(ids -> assertThat(ids).extracting(PredictionId::value).containsExactly("a", "b"))
                .verifyComplete();
    }

    @Test
    void asksForTheWindowItIsGivenAndOnlyOnSubscription() {
        List<String> windows = new CopyOnWriteArrayList<>();
        var backfill = new PredictionBackfill((since, until) -> {
            windows.add(since + ".." + until);
            return Flux.empty();
        });

        var ids = backfill.idsCreatedBetween(minutesAgo(60), NOW);
        assertThat(windows).isEmpty();
        StepVerifier.create(ids).assertNext(list -> assertThat(list).isEmpty()).verifyComplete();
        assertThat(windows).containsExactly(minutesAgo(60) + ".." + NOW);
    }

    @Test
    void listsTheSimulatorsPredictionsAcrossPagesNearestExpiryFirst() {
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .listPageSize(3)
                .build())) {
            register(simulator, "done-late", 55, Duration.ofMinutes(45), Outcome.SUCCEEDED);
            register(simulator, "done-early", 50, Duration.ofMinutes(2), Outcome.SUCCEEDED);
            register(simulator, "failed-mid", 40, Duration.ofMinutes(5), Outcome.FAILED);
            register(simulator, "done-mid", 30, Duration.ofMinutes(1), Outcome.SUCCEEDED);
            register(simulator, "running-old", 20, Duration.ofHours(1), Outcome.SUCCEEDED);
            register(simulator, "running-new", 2, Duration.ofHours(1), Outcome.SUCCEEDED);
            register(simulator, "expired", 180, Duration.ofMinutes(1), Outcome.SUCCEEDED);
            register(simulator, "before-window", 300, Duration.ofMinutes(1), Outcome.SUCCEEDED);
            var backfill = new PredictionBackfill(poller(simulator, ApiProvider.REPLICATE));

            StepVerifier.create(backfill.idsCreatedBetween(NOW.minus(Duration.ofHours(4)), NOW))
                    .assertNext(ids -> assertThat(ids).extracting(PredictionId::value).containsExactly(
                            "done-early", "failed-mid", "done-mid", "done-late",
                            "running-old", "running-new", "expired"))
                    .expectComplete()
                    .verify(PATIENCE);
            assertThat(simulator.stats().apiCalls()).isEqualTo(3);
        }
    }

    @Test
    void aSourcePrecededByABackfillHasTheWindowFirstAndTheGivenIdsAfterOnceEach() {
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build())) {
            register(simulator, "done-late", 55, Duration.ofMinutes(45), Outcome.SUCCEEDED);
            register(simulator, "done-early", 50, Duration.ofMinutes(2), Outcome.SUCCEEDED);
            PredictionIdSource given = PredictionIdSource.read(List.of("given-1", "done-late"), null, null);

            StepVerifier.create(given.precededByBackfill(poller(simulator, ApiProvider.REPLICATE),
                            NOW.minus(Duration.ofHours(1)), null))
                    .assertNext(source -> assertThat(source.ids()).extracting(PredictionId::value)
                            .containsExactly("done-early", "done-late", "given-1"))
                    .expectComplete()
                    .verify(PATIENCE);
        }
    }

    @Test
    void aProviderWithoutAListEndpointFailsBeforeAnyRequest() {
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.defaults())) {
            var backfill = new PredictionBackfill(poller(simulator, ApiProvider.DEERAPI));

            StepVerifier.create(backfill.idsCreatedBetween(NOW.minus(Duration.ofHours(1)), NOW))
                    .expectError(ListEndpointUnavailableException.class)
                    .verify(PATIENCE);
            assertThat(simulator.stats().apiCalls()).isZero();
        }
    }

    private static void register(ReplicateSimulator simulator, String id, int createdMinutesAgo, Duration runTime,
            Outcome outcome) {
        simulator.register(SimulatedPrediction.generated(id)
                .createdAt(minutesAgo(createdMinutesAgo))
                .completesAfter(runTime)
                .outcome(outcome)
                .build());
    }

    private static PredictionPoller poller(ReplicateSimulator simulator, ApiProvider provider) {
        var api = new ApiProperties(provider, simulator.baseUrl(), null, null, "test-token", 6000, 100,
                Duration.ofSeconds(5));
        var poll = new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 3,
                Duration.ofMillis(10), Duration.ofMillis(20));
        return PredictionPoller.create(api, poll, WebClient.builder(), Schedulers.parallel());
    }

    private static Prediction prediction(String id, String status, Instant createdAt, Instant completedAt,
            boolean dataRemoved) {
        ObjectNode body = JSON.createObjectNode().put("id", id).put("status", status)
                .put("created_at", createdAt.toString()).put("data_removed", dataRemoved);
        if (completedAt != null) {
            body.put("completed_at", completedAt.toString());
        }
        return Prediction.from(body);
    }

    private static Instant minutesAgo(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }
}
