package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestPredictions.ID;
import static io.predictionarchiver.poll.TestPredictions.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class PredictionPollerTests {

    private static final PredictionId PREDICTION = PredictionId.of(ID);
    /** Virtual time starts at the epoch; the predictions below were created 20 s before watching began. */
    private static final Instant CREATED = Instant.EPOCH.minusSeconds(20);
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Long> pollMillis = new CopyOnWriteArrayList<>();

    @Test
    void emitsTheTerminalPredictionAfterPollsSpacedByAgeAndStatus() {
        Prediction succeeded = prediction("succeeded", CREATED, CREATED.plusSeconds(10));
        PredictionPoller poller = poller(answers(
                prediction("starting", CREATED, null),
                prediction("processing", CREATED, CREATED.plusSeconds(10)),
                prediction("processing", CREATED, CREATED.plusSeconds(10)),
                succeeded));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(18_799))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(succeeded)
                .verifyComplete();
        // starting, 20 s after creation: 0.5 × 20 s; then running 20 s and 24 s: 0.2 × age each
        assertThat(pollMillis).containsExactly(0L, 10_000L, 14_000L, 18_800L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"succeeded", "failed", "canceled", "aborted"})
    void aTerminalStatusOnTheFirstPollEndsWatchingAtOnce(String status) {
        PredictionPoller poller = poller(answers(prediction(status, CREATED, null)));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .assertNext(prediction -> assertThat(prediction.status()).isEqualTo(status))
                .verifyComplete();
        assertThat(pollMillis).hasSize(1);
    }

    @Test
    void unknownStatusesKeepPolling() {
        PredictionPoller poller = poller(answers(
                prediction("queued_upstream", CREATED, null),
                prediction("warming", CREATED, null),
                prediction("succeeded", CREATED, null)));

        assertSucceedsAfterPolls(poller, 3);
    }

    @Test
    void noTerminalStatusWithinMaxWaitFailsWithTheLastStatusSeen() {
        PredictionPoller poller = poller(answers(prediction("processing", CREATED, CREATED)));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(MAX_WAIT.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(PollTimeoutException.class)
                            .hasMessageContaining("prediction " + ID)
                            .hasMessageContaining("'processing'")
                            .hasMessageContaining("archiver.poll.max-wait");
                    assertThat(((PollTimeoutException) error).predictionId()).isEqualTo(PREDICTION);
                    assertThat(((PollTimeoutException) error).lastStatus()).isEqualTo("processing");
                })
                .verify();
        // five minutes at a fixed 3 s would take 100 polls
        assertThat(pollMillis).hasSizeBetween(10, 30);
    }

    @Test
    void maxWaitCountsFromSubscriptionNotFromCreation() {
        PredictionPoller poller = poller(answers(prediction("processing", CREATED, CREATED)));
        Mono<Prediction> watch = poller.awaitTerminal(PREDICTION);

        clock.advanceTimeBy(Duration.ofHours(1));
        StepVerifier.withVirtualTime(() -> watch, () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(MAX_WAIT.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectError(PollTimeoutException.class)
                .verify();
    }

    @Test
    void aTimeoutBeforeAnyAnswerSaysNoStatusWasSeen() {
        PredictionPoller poller = poller(id -> Mono.never());

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .thenAwait(MAX_WAIT)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(PollTimeoutException.class)
                        .hasMessageContaining("none (no poll answered)"))
                .verify();
    }

    @Test
    void cancellingStopsPollingAndTheRequestInFlight() {
        AtomicBoolean requestCancelled = new AtomicBoolean();
        Queue<Prediction> answers = new ArrayDeque<>(List.of(prediction("processing", CREATED, CREATED)));
        PredictionPoller poller = poller(id -> Mono.defer(() -> {
            pollMillis.add(clock.now(TimeUnit.MILLISECONDS));
            Prediction next = answers.poll();
            return next != null
                    ? Mono.just(next)
                    : Mono.<Prediction>never().doOnCancel(() -> requestCancelled.set(true));
        }));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(10))
                .thenCancel()
                .verify();
        clock.advanceTimeBy(Duration.ofHours(1));

        assertThat(pollMillis).hasSize(2);
        assertThat(requestCancelled).isTrue();
    }

    @Test
    void cancellingBetweenPollsSendsNothingMore() {
        PredictionPoller poller = poller(answers(prediction("processing", CREATED, CREATED)));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMillis(100))
                .thenCancel()
                .verify();
        clock.advanceTimeBy(Duration.ofHours(1));

        assertThat(pollMillis).containsExactly(0L);
    }

    @Test
    void aTransientFailureIsRetriedAndPollingGoesOn() {
        PredictionPoller poller = poller(answers(
                new RetryableApiException(PREDICTION, "HTTP 503", null, false, null),
                prediction("processing", CREATED, CREATED),
                prediction("succeeded", CREATED, CREATED)));

        assertSucceedsAfterPolls(poller, 3);
    }

    @Test
    void aPredictionNotFoundEndsWatchingWithoutRetry() {
        var notFound = new PredictionNotFoundException(PREDICTION, URI.create("http://127.0.0.1/v1/predictions/" + ID));
        PredictionPoller poller = poller(answers(notFound));

        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .expectErrorMatches(error -> error == notFound)
                .verify();
        assertThat(pollMillis).hasSize(1);
    }

    @Test
    void fetchOnceEmitsWhateverStatusTheApiReports() {
        PredictionPoller poller = poller(answers(prediction("starting", CREATED, null)));

        StepVerifier.withVirtualTime(() -> poller.fetchOnce(PREDICTION), () -> clock, Long.MAX_VALUE)
                .assertNext(prediction -> assertThat(prediction.status()).isEqualTo("starting"))
                .verifyComplete();
        assertThat(pollMillis).hasSize(1);
    }

    private PredictionPoller poller(PredictionFetcher fetcher) {
        PollProperties properties = new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), MAX_WAIT,
                3, Duration.ofSeconds(1), Duration.ofSeconds(4));
        return new PredictionPoller(fetcher, new ScriptedLister(), properties, clock);
    }

    private void assertSucceedsAfterPolls(PredictionPoller poller, int polls) {
        StepVerifier.withVirtualTime(() -> poller.awaitTerminal(PREDICTION), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(prediction -> assertThat(prediction.status()).isEqualTo("succeeded"))
                .verifyComplete();
        assertThat(pollMillis).hasSize(polls);
    }

    /**
     * Answers each poll with the next outcome (a {@link Prediction} or a {@link RuntimeException} to fail with),
     * repeating the last one, and records when each poll came.
     */
    private PredictionFetcher answers(Object... outcomes) {
        Queue<Object> queue = new ArrayDeque<>(Arrays.asList(outcomes));
        return id -> Mono.defer(() -> {
            pollMillis.add(clock.now(TimeUnit.MILLISECONDS));
            Object outcome = queue.size() > 1 ? queue.poll() : queue.peek();
            return outcome instanceof Prediction prediction
                    ? Mono.just(prediction)
                    : Mono.error((RuntimeException) outcome);
        });
    }
}
