package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.ScriptedLister.FIRST_PAGE;
import static io.predictionarchiver.poll.TestPredictions.listed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Paging logic of the list endpoint, without HTTP: order, laziness, stop rules, window, retry. */
class PredictionListingTests {

    private static final Instant NOON = Instant.parse("2026-11-20T12:00:00Z");
    private static final Prediction A = listed("a", NOON.minusSeconds(60));
    private static final Prediction B = listed("b", NOON.minusSeconds(120));
    private static final Prediction C = listed("c", NOON.minusSeconds(180));
    private static final Prediction D = listed("d", NOON.minusSeconds(240));
    private static final Prediction E = listed("e", NOON.minusSeconds(300));

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ScriptedLister lister = new ScriptedLister();

    @Test
    void followsEachNextUntilAPageHasNone() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A, B), "page-2"))
                .answer("page-2", new ListPage(List.of(C, D), "page-3"))
                .answer("page-3", new ListPage(List.of(E), null));

        StepVerifier.create(listing().createdBetween(null, null))
                .expectNext(A, B, C, D, E)
                .verifyComplete();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2", "page-3");
    }

    @Test
    void requestsNothingBeforeSubscriptionAndTheNextPageOnlyWhenDownstreamWantsMore() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A, B), "page-2"))
                .answer("page-2", new ListPage(List.of(C), null));
        Flux<Prediction> listing = listing().createdBetween(null, null);

        assertThat(lister.requested()).isEmpty();
        StepVerifier.create(listing, 0)
                .then(() -> assertThat(lister.requested()).isEmpty())
                .thenRequest(2)
                .expectNext(A, B)
                .then(() -> assertThat(lister.requested()).containsExactly(FIRST_PAGE))
                .thenRequest(1)
                .expectNext(C)
                .verifyComplete();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2");
    }

    @Test
    void anEmptyPageEndsTheListingWhateverItsNext() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A), "page-2"))
                .answer("page-2", new ListPage(List.of(), "page-3"));

        StepVerifier.create(listing().createdBetween(null, null))
                .expectNext(A)
                .verifyComplete();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2");
    }

    @Test
    void aPageReachingBeforeSinceEndsTheListingAndItsOlderResultsAreDropped() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A, B), "page-2"))
                .answer("page-2", new ListPage(List.of(C, D), "page-3"));

        StepVerifier.create(listing().createdBetween(C.createdAt(), null))
                .expectNext(A, B, C)
                .verifyComplete();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2");
    }

    @Test
    void resultsAtOrAfterUntilAreDroppedWithoutEndingTheListing() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A, B), "page-2"))
                .answer("page-2", new ListPage(List.of(C), null));

        StepVerifier.create(listing().createdBetween(null, B.createdAt()))
                .expectNext(C)
                .verifyComplete();
        assertThat(lister.windows()).containsExactly("null.." + B.createdAt());
    }

    @Test
    void aThrottledPageIsRetriedAfterItsRetryAfterAndPagingGoesOn() {
        var throttled = new RetryableApiException(null, "listing predictions: HTTP 429", Duration.ofSeconds(30),
                true, null);
        lister.answer(FIRST_PAGE, new ListPage(List.of(A), "page-2"))
                .answer("page-2", throttled, new ListPage(List.of(B), null));

        StepVerifier.withVirtualTime(() -> listing().createdBetween(null, null), () -> clock, Long.MAX_VALUE)
                .expectNext(A)
                .expectNoEvent(Duration.ofSeconds(30).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(B)
                .verifyComplete();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2", "page-2");
    }

    @Test
    void aNonRetryableFailureEndsTheListingAtOnce() {
        var refused = new ApiUnavailableException(null, "refused to follow", null);
        lister.answer(FIRST_PAGE, new ListPage(List.of(A), "page-2"))
                .answer("page-2", refused);

        StepVerifier.create(listing().createdBetween(null, null))
                .expectNext(A)
                .expectErrorMatches(error -> error == refused)
                .verify();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE, "page-2");
    }

    @Test
    void aNextThatRepeatsThePageJustReadFailsInsteadOfLooping() {
        lister.answer(FIRST_PAGE, new ListPage(List.of(A), FIRST_PAGE));

        StepVerifier.create(listing().createdBetween(null, null))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiUnavailableException.class)
                        .hasMessageContaining("the page just read (" + FIRST_PAGE + ")"))
                .verify();
        assertThat(lister.requested()).containsExactly(FIRST_PAGE);
    }

    @Test
    void sinceNotBeforeUntilIsRejectedBeforeAnyRequest() {
        StepVerifier.create(listing().createdBetween(NOON, NOON))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("since must be before until, but they were " + NOON + " and " + NOON))
                .verify();
        assertThat(lister.windows()).isEmpty();
        assertThat(lister.requested()).isEmpty();
    }

    private PredictionListing listing() {
        return new PredictionListing(lister, new ApiRetry(pollProperties(), clock));
    }

    private static PollProperties pollProperties() {
        return new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(4));
    }
}
