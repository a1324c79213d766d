package io.predictionarchiver.daemon;

import java.util.function.Consumer;
import java.util.function.Function;

import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.State;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The webhook lane: terminal predictions delivered by a webhook, archived from the delivered body without a
 * poll, beside the polled lane and sharing its transfer bounds.
 *
 * <p>A delivery of an id already in hand is dropped (the polled lane has it, or another delivery). Up to
 * {@value #DELIVERY_CAPACITY} bodies wait for a slot; they can be large, so a delivery beyond that is handed
 * over as an id to poll instead. Each delivered id is claimed, moved to {@link State#TRANSFERRING}, archived and
 * its outcome recorded; a claim that finds the id held elsewhere drops it, and any failure on the way gives the
 * id back for polling (logged).
 */
final class DeliveryLane {

    /** Delivered bodies waiting for a transfer slot; they can be large, so few are kept (the rest are polled). */
    static final int DELIVERY_CAPACITY = 256;

    private static final Logger log = LoggerFactory.getLogger(DeliveryLane.class);

    private final LeaseHolder leases;
    private final Function<Prediction, Mono<ArchiveOutcome>> archive;
    private final Function<ArchiveOutcome, Mono<Void>> record;
    private final Consumer<PredictionId> toPoll;
    private final WorkObserver observer;
    private final int concurrency;
    // multicast without auto-cancel: a restarted work loop subscribes again and finds what was delivered meanwhile
    private final Sinks.Many<Prediction> deliveries =
            Sinks.many().multicast().onBackpressureBuffer(DELIVERY_CAPACITY, false);

    /**
     * @param archive     archives a terminal prediction from its body ({@code ArchivePipeline::archiveTerminal})
     * @param record      records an outcome ({@link OutcomeRecorder#record})
     * @param toPoll      takes the id of a delivery that did not fit, to poll it
     * @param concurrency deliveries archived at once
     */
    DeliveryLane(LeaseHolder leases, Function<Prediction, Mono<ArchiveOutcome>> archive,
            Function<ArchiveOutcome, Mono<Void>> record, Consumer<PredictionId> toPoll, WorkObserver observer,
            int concurrency) {
        this.leases = leases;
        this.archive = archive;
        this.record = record;
        this.toPoll = toPoll;
        this.observer = observer;
        this.concurrency = concurrency;
    }

    /**
     * Hands a terminal prediction over. Synchronized: a sink refuses emissions from two threads at once, and
     * requests complete on any thread.
     */
    synchronized void deliver(Prediction prediction) {
        observer.terminal(prediction);
        if (deliveries.tryEmitNext(prediction).isFailure()) {
            toPoll.accept(prediction.id());
        }
    }

    /** Archives the deliveries as they come, until {@code stop} completes; what is in flight then goes on. */
    Flux<Void> until(Mono<Void> stop) {
        return deliveries.asFlux()
                .takeUntilOther(stop)
                .filter(prediction -> leases.take(prediction.id()))
                .flatMap(this::archiveDelivered, concurrency);
    }

    private Mono<Void> archiveDelivered(Prediction prediction) {
        PredictionId id = prediction.id();
        return leases.claim(id)
                .flatMap(held -> held.advance(State.TRANSFERRING)
                        .doOnSuccess(moved -> observer.transferring(prediction))
                        .then(archive.apply(prediction)))
                .flatMap(record)
                .onErrorResume(error -> {
                    log.warn("could not archive the delivered {}, left to polling: {}", id, error.toString());
                    return leases.forget(id);
                });
    }
}
