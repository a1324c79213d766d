package io.predictionarchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ExpiryOrderTests {

    @Test
    void handsOverTheHighestPriorityHeldElementWhenAsked() {
        Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(ExpiryOrder.reorder(source.asFlux(), Comparator.naturalOrder(), 10), 0)
                .then(() -> {
                    source.tryEmitNext(30);
                    source.tryEmitNext(10);
                    source.tryEmitNext(20);
                })
                .thenRequest(1)
                .expectNext(10)
                .then(() -> source.tryEmitNext(5))
                .thenRequest(2)
                .expectNext(5, 20)
                .then(source::tryEmitComplete)
                .thenRequest(1)
                .expectNext(30)
                .verifyComplete();
    }

    @Test
    void holdsNoMoreThanItsCapacity() {
        AtomicLong requestedUpstream = new AtomicLong();
        Flux<Integer> source = Flux.range(1, 100).doOnRequest(requestedUpstream::addAndGet);

        StepVerifier.create(ExpiryOrder.reorder(source, Comparator.reverseOrder(), 4), 0)
                .thenAwait()
                .then(() -> assertThat(requestedUpstream).hasValue(4))
                .thenRequest(1)
                .expectNext(4)
                .then(() -> assertThat(requestedUpstream).hasValue(5))
                .thenCancel()
                .verify();
    }

    @Test
    void completesOnlyAfterEveryHeldElementIsHandedOver() {
        StepVerifier.create(ExpiryOrder.reorder(Flux.just(3, 1, 2), Comparator.naturalOrder(), 8), 0)
                .thenRequest(3)
                .expectNextCount(3)
                .verifyComplete();
    }

    @Test
    void upstreamErrorIsDeliveredAtOnce() {
        Flux<Integer> failing = Flux.just(2, 1).concatWith(Flux.error(new IllegalStateException("boom")));

        StepVerifier.create(ExpiryOrder.reorder(failing, Comparator.naturalOrder(), 8), 0)
                .expectErrorMessage("boom")
                .verify();
    }

    @Test
    void cancelCancelsUpstream() {
        Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(ExpiryOrder.reorder(source.asFlux(), Comparator.naturalOrder(), 8), 0)
                .then(() -> source.tryEmitNext(1))
                .thenCancel()
                .verify();

        assertThat(source.currentSubscriberCount()).isZero();
    }
}
