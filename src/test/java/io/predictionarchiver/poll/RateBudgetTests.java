package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class RateBudgetTests {

    private static final int PER_MINUTE = 60;
    private static final int BURST = 5;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final RateBudget budget = new RateBudget(PER_MINUTE, BURST, clock);

    @Test
    void theBurstGoesOutAtOnceAndTheRestAtTheRefillRate() {
        StepVerifier.withVirtualTime(() -> acquisitionTimes(8), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(millis -> assertThat(millis).containsExactly(0L, 0L, 0L, 0L, 0L, 1000L, 2000L, 3000L))
                .verifyComplete();
    }

    @Test
    void noMinuteCarriesMoreThanTheBudgetPlusTheBurst() {
        int calls = 400;
        StepVerifier.withVirtualTime(() -> acquisitionTimes(calls), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(10))
                .assertNext(millis -> {
                    assertThat(millis).hasSize(calls);
                    for (long windowStart : millis) {
                        long inWindow = millis.stream()
                                .filter(t -> t >= windowStart && t < windowStart + 60_000)
                                .count();
                        assertThat(inWindow).isLessThanOrEqualTo(PER_MINUTE + BURST);
                    }
                    long lastMinute = millis.stream().filter(t -> t >= 300_000 && t < 360_000).count();
                    assertThat(lastMinute).isEqualTo(PER_MINUTE);
                })
                .verifyComplete();
    }

    @Test
    void aBurstRefillsAfterAQuietPeriod() {
        StepVerifier.withVirtualTime(() -> acquisitionTimes(BURST)
                        .then(Mono.delay(Duration.ofSeconds(BURST), clock))
                        .then(acquisitionTimes(BURST)), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(millis -> assertThat(millis).containsOnly(5000L))
                .verifyComplete();
    }

    @Test
    void aCallerCancelledWhileWaitingGivesItsPermitBack() {
        StepVerifier.withVirtualTime(() -> acquisitionTimes(BURST)
                        .then(budget.acquire().timeout(Duration.ofMillis(100), Mono.empty(), clock))
                        .then(acquisitionTimes(1)), () -> clock, Long.MAX_VALUE)
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(millis -> assertThat(millis).containsExactly(1000L))
                .verifyComplete();
    }

    @Test
    void rejectsAnEmptyBudget() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateBudget(0, 1, clock))
                .withMessageContaining("requestsPerMinute > 0");
    }

    /** Starts {@code calls} acquisitions together and reports, in order of completion, when each was granted. */
    private Mono<List<Long>> acquisitionTimes(int calls) {
        return Flux.range(0, calls)
                .flatMap(call -> budget.acquire().then(Mono.fromCallable(() -> clock.now(TimeUnit.MILLISECONDS))))
                .collectList();
    }
}
