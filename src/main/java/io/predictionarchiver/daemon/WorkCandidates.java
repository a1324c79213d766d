package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.function.Supplier;

import io.predictionarchiver.prediction.PredictionId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The ids the work loop may claim: ids accepted by this daemon, handed over at once ({@link #offer}), and a scan
 * of the state index at start and every {@code archiver.tracking.scan-interval}, which finds the rest (ids left
 * by a stopped daemon, ids whose lease expired, ids released for a retry, offers that did not fit the hand-over
 * queue).
 *
 * <p>Neither costs a timer or a thread per id: pending ids are markers in S3 until a slot frees up, and a scan
 * pages through the index only as fast as its ids are taken. A scan that fails is logged and the next one
 * comes at the next interval; ticks that fall while a scan is still paging are dropped, so scans never overlap.
 */
final class WorkCandidates {

    /** Offers held for a loop that is busy or restarting; beyond that they wait for a scan. */
    static final int HAND_OVER_CAPACITY = 10_000;

    private static final Logger log = LoggerFactory.getLogger(WorkCandidates.class);

    private final Supplier<Flux<PredictionId>> scan;
    private final Duration scanInterval;
    private final Scheduler scheduler;
    // multicast without auto-cancel: a restarted work loop subscribes again and finds what was offered meanwhile
    private final Sinks.Many<PredictionId> handOver =
            Sinks.many().multicast().onBackpressureBuffer(HAND_OVER_CAPACITY, false);

    /** @param scan one scan of the ids the state index shows active ({@code TrackingStore::activeIds}) */
    WorkCandidates(Supplier<Flux<PredictionId>> scan, Duration scanInterval, Scheduler scheduler) {
        this.scan = scan;
        this.scanInterval = scanInterval;
        this.scheduler = scheduler;
    }

    /**
     * Hands a newly accepted id over; one that does not fit (or arrives while no loop runs and the queue is
     * full) waits for a scan. Synchronized: a sink refuses emissions from two threads at once, and requests
     * complete on any thread.
     */
    synchronized void offer(PredictionId id) {
        handOver.tryEmitNext(id);
    }

    /**
     * The ids offered and scanned, from now until {@code stop} completes. An id may come more than once (offered
     * and scanned, or scanned again while it is worked on): passing over the ids already in hand is the
     * claimer's job.
     */
    Flux<PredictionId> until(Mono<Void> stop) {
        Flux<PredictionId> scans = Flux.interval(Duration.ZERO, scanInterval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> scan.get()
                        .onErrorResume(error -> {
                            log.warn("scan of tracked ids failed, next in {}: {}", scanInterval, error.toString());
                            return Flux.empty();
                        }), 0);
        return Flux.merge(handOver.asFlux(), scans).takeUntilOther(stop);
    }
}
