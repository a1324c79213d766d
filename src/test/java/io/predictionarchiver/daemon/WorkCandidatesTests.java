package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Hand-over and scans of {@link WorkCandidates}, paced by virtual time; the scans are stand-ins, no store. */
class WorkCandidatesTests {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicInteger scans = new AtomicInteger();

    @Test
    void scansAtOnceThenEveryIntervalAndNotBetween() {
        WorkCandidates candidates = candidates(() -> Flux.just(id("scanned-" + scans.incrementAndGet())));

        StepVerifier.withVirtualTime(() -> candidates.until(Mono.never()), () -> time, Long.MAX_VALUE)
                .expectNext(id("scanned-1"))
                .expectNoEvent(INTERVAL.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(id("scanned-2"))
                .expectNoEvent(INTERVAL.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(id("scanned-3"))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void offeredIdsComeAtOnceBetweenScans() {
        WorkCandidates candidates = candidates(Flux::empty);
        candidates.offer(id("before"));

        StepVerifier.withVirtualTime(() -> candidates.until(Mono.never()), () -> time, Long.MAX_VALUE)
                .expectNext(id("before"))
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> candidates.offer(id("between")))
                .expectNext(id("between"))
                .expectNoEvent(INTERVAL)
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void aFailedScanIsFollowedByTheNextOneAtTheNextInterval() {
        WorkCandidates candidates = candidates(() -> scans.incrementAndGet() == 1
                ? Flux.concat(Flux.just(id("before-the-outage")), Flux.error(new IllegalStateException("S3 away")))
                : Flux.just(id("after-the-outage")));

        StepVerifier.withVirtualTime(() -> candidates.until(Mono.never()), () -> time, Long.MAX_VALUE)
                .expectNext(id("before-the-outage"))
                .expectNoEvent(INTERVAL.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(id("after-the-outage"))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void scansNeverOverlapTheTicksDuringALongScanAreDropped() {
        Sinks.Empty<Void> firstScanEnds = Sinks.empty();
        WorkCandidates candidates = candidates(() -> scans.incrementAndGet() == 1
                ? firstScanEnds.asMono().thenMany(Flux.just(id("first-scan")))
                : Flux.just(id("next-scan")));

        StepVerifier.withVirtualTime(() -> candidates.until(Mono.never()), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(INTERVAL.multipliedBy(3))
                .then(() -> assertThat(scans).hasValue(1))
                .then(firstScanEnds::tryEmitEmpty)
                .expectNext(id("first-scan"))
                .expectNoEvent(INTERVAL.minusMillis(1))
                .then(() -> assertThat(scans).as("no scan caught up on the dropped ticks").hasValue(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(id("next-scan"))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void stoppingEndsTheCandidatesAndLaterOffersWaitForTheNextLoop() {
        WorkCandidates candidates = candidates(Flux::empty);
        Sinks.Empty<Void> stop = Sinks.empty();

        StepVerifier.create(candidates.until(stop.asMono()))
                .then(() -> candidates.offer(id("while-running")))
                .expectNext(id("while-running"))
                .then(stop::tryEmitEmpty)
                .expectComplete()
                .verify(PATIENCE);
        candidates.offer(id("while-stopped"));

        StepVerifier.create(candidates.until(Mono.never()).take(1))
                .expectNext(id("while-stopped"))
                .expectComplete()
                .verify(PATIENCE);
    }

    @Test
    void offersBeyondTheHandOverQueueAreLeftToTheScans() {
        WorkCandidates candidates = candidates(Flux::empty);
        int offered = 2 * WorkCandidates.HAND_OVER_CAPACITY;
        IntStream.range(0, offered).forEach(i -> candidates.offer(id("offer-" + i)));

        StepVerifier.withVirtualTime(() -> candidates.until(Mono.delay(INTERVAL, time).then()).count(), () -> time,
                        Long.MAX_VALUE)
                .thenAwait(INTERVAL)
                // the queue holds at least its capacity (rounded up to a power of two by Reactor), not every offer
                .assertNext(handedOver -> assertThat(handedOver)
                        .isGreaterThanOrEqualTo(WorkCandidates.HAND_OVER_CAPACITY).isLessThan(offered))
                .expectComplete()
                .verify(PATIENCE);
    }

    private WorkCandidates candidates(Supplier<Flux<PredictionId>> scan) {
        return new WorkCandidates(scan, INTERVAL, time);
    }

    private static PredictionId id(String value) {
        return PredictionId.of(value);
    }
}
