package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.TrackingStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The daemon's work loop: claims tracked ids, archives them through the pipeline while keeping their leases,
 * and records each outcome durably. It composes its parts and does no I/O itself:
 * {@link WorkCandidates} (where ids come from: hand-over and scans of the state index),
 * {@link LeaseHolder} (ids in hand, claims, renewals, giving back), {@link LeaseMoves} (stage moves written
 * under the lease), {@link DeliveryLane} (webhook deliveries archived without a poll) and
 * {@link OutcomeRecorder} (what each outcome does with its id, see {@link Disposition}).
 *
 * <p><b>Concurrency.</b> The pipeline's bounds hold ({@code archiver.poll.concurrency} ids polled); webhook
 * deliveries archive in a second lane. Files and their memory are bounded per process by the transfer stage,
 * which both lanes and the queue consumer share ({@code archiver.download.concurrency} files,
 * {@code archiver.download.buffer-memory} bytes). An id is worked on once at a time in this daemon, and the lease
 * keeps other daemons off it.
 *
 * <p><b>Outcomes.</b> Archived (now or before) ends tracking as archived, unless files of the prediction kept
 * failing and have not expired yet ({@code completed_at} + {@code archiver.expiry}): the id, its manifest
 * {@code partial}, is then released and claimed again at a later scan, which tries those files again (keeping
 * the stored ones) and replaces the manifest once more are stored; that goes on until the files expire,
 * whatever the number of claims. A failure that may pass (an unavailable API or S3) releases the id for a retry
 * at the next scan, until {@code archiver.tracking.max-attempts} claims, then ends it as failed, as does a
 * failure that will not pass (no such prediction). A lease lost to another daemon leaves the id to it.
 *
 * <p><b>Lifecycle.</b> {@link #start} runs the loop until {@link #stop}, restarting it after a failure that
 * stops all of it; offers and deliveries made while it is not running wait for it (within their queues' bounds,
 * beyond which the scans find the ids).
 */
final class TrackedWork {

    private static final Logger log = LoggerFactory.getLogger(TrackedWork.class);

    private final ArchivePipeline pipeline;
    private final Scheduler scheduler;
    private final WorkCandidates candidates;
    private final LeaseHolder leases;
    private final LeaseMoves moves;
    private final OutcomeRecorder recorder;
    private final DeliveryLane deliveries;
    private final Sinks.Empty<Void> stopClaiming = Sinks.empty();

    private Disposable running;
    private volatile Mono<Void> drained = Mono.empty();

    TrackedWork(TrackingStore store, ManifestStore manifests, ArchivePipeline pipeline, WorkSettings settings,
            Scheduler scheduler, WorkObserver observer) {
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.candidates = new WorkCandidates(store::activeIds, settings.scanInterval(), scheduler);
        this.leases = new LeaseHolder(store, settings.owner(), settings.leaseDuration(), scheduler,
                observer::finished);
        this.moves = new LeaseMoves(leases, observer);
        this.recorder = new OutcomeRecorder(leases, manifests, observer, settings.maxAttempts(), settings.expiry(),
                scheduler);
        this.deliveries = new DeliveryLane(leases, pipeline::archiveTerminal, recorder::record, candidates::offer,
                observer, settings.transferConcurrency());
    }

    /** Hands a newly accepted id over; one that does not fit (or arrives while stopping) waits for a scan. */
    void offer(PredictionId id) {
        candidates.offer(id);
    }

    /**
     * Hands a terminal prediction over, to archive without polling; dropped when already being worked on, and
     * handed over as an id to poll when too many deliveries wait.
     */
    void deliver(Prediction prediction) {
        deliveries.deliver(prediction);
    }

    /**
     * Starts the loop. A failure that stops all of it (the API rejects the token) gives every id back and
     * restarts the loop after a growing pause, up to a minute.
     */
    synchronized void start() {
        if (running != null) {
            return;
        }
        log.info("tracked work starts, leases held as '{}'", leases.owner());
        running = Flux.defer(this::workOnce)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofMinutes(1))
                        .scheduler(scheduler)
                        .doBeforeRetry(signal -> log.error("tracked work stopped, restarting: {}",
                                signal.failure().toString())))
                // retried without end, so only an Error ends it here, and FatalErrors ends the process on that
                .subscribe(null, error -> log.error("tracked work ended: {}", error.toString()));
    }

    private Flux<Void> workOnce() {
        Mono<Void> stop = stopClaiming.asMono();
        Flux<Void> polled = pipeline.archive(leases.claimEach(candidates.until(stop)), RunOptions.RETRY_FAILED, moves)
                .flatMap(recorder::record, LeaseHolder.STORE_CONCURRENCY);
        Flux<Void> delivered = deliveries.until(stop);
        // a signal, not a cached Mono: cancelling a subscriber of cache() would leave the work itself running
        Sinks.Empty<Void> ended = Sinks.empty();
        drained = ended.asMono();
        Mono<Void> done = Flux.merge(polled, delivered).then()
                .onErrorResume(error -> leases.releaseAll().then(Mono.error(error)))
                .doFinally(signal -> ended.tryEmitEmpty());
        return Flux.merge(done.flux(), leases.renewals().takeUntilOther(ended.asMono()));
    }

    /**
     * Stops claiming, lets the work in flight finish within {@code drain}, then cancels what is left and gives
     * its ids back, so that the next start (or another daemon) resumes them at once.
     */
    Mono<Void> stop(Duration drain) {
        Disposable work;
        Mono<Void> finished;
        synchronized (this) {
            work = running;
            finished = drained;
            running = null;
        }
        if (work == null) {
            return Mono.empty();
        }
        stopClaiming.tryEmitEmpty();
        return finished.timeout(drain, scheduler)
                .onErrorResume(TimeoutException.class, timedOut -> {
                    log.warn("work did not drain within {}; giving the ids in hand back unfinished", drain);
                    return Mono.empty();
                })
                .then(Mono.fromRunnable(work::dispose))
                .then(leases.claimsSettled())
                .then(leases.releaseAll());
    }
}
