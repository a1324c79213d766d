package io.predictionarchiver.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.pipeline.StageListener;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.tracking.Lease;
import io.predictionarchiver.tracking.State;
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
 * and records each outcome durably.
 *
 * <p><b>Where ids come from.</b> Ids accepted by this daemon are handed over at once ({@link #offer}); a scan
 * of the state index at start and every {@code archiver.tracking.scan-interval} finds the rest: ids left by a
 * stopped daemon (resume on start), ids whose lease expired (takeover after a crash), ids released for a retry,
 * and offers that did not fit the hand-over queue. Neither costs a timer or a thread per id: pending ids are
 * markers in S3 until a slot frees up, and the scan pages through the index only as fast as slots free. The
 * scan reads no marker: an id this daemon works on already is passed over, any other is claimed, and only the
 * claim reads its marker (see {@link TrackingStore#activeIds}).
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
 */
final class TrackedWork {

    private static final Logger log = LoggerFactory.getLogger(TrackedWork.class);
    private static final int HAND_OVER_CAPACITY = 10_000;
    /** Delivered bodies waiting for a transfer slot; they can be large, so few are kept (the rest are polled). */
    private static final int DELIVERY_CAPACITY = 256;
    private static final int STORE_CONCURRENCY = 8;

    private final TrackingStore store;
    private final ManifestStore manifests;
    private final ArchivePipeline pipeline;
    private final String owner;
    private final Duration leaseDuration;
    private final Duration scanInterval;
    private final int maxAttempts;
    private final int transferConcurrency;
    private final Duration expiry;
    private final Scheduler scheduler;
    private final WorkObserver observer;

    private final Set<PredictionId> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<PredictionId, HeldLease> leases = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<HeldLease>> claimsInFlight = ConcurrentHashMap.newKeySet();
    // multicast without auto-cancel: a restarted work loop subscribes again and finds what was offered meanwhile
    private final Sinks.Many<PredictionId> handOver =
            Sinks.many().multicast().onBackpressureBuffer(HAND_OVER_CAPACITY, false);
    private final Sinks.Many<Prediction> deliveries =
            Sinks.many().multicast().onBackpressureBuffer(DELIVERY_CAPACITY, false);
    private final Sinks.Empty<Void> stopClaiming = Sinks.empty();

    private Disposable running;
    private volatile Mono<Void> drained = Mono.empty();

    TrackedWork(TrackingStore store, ManifestStore manifests, ArchivePipeline pipeline, WorkSettings settings,
            Scheduler scheduler, WorkObserver observer) {
        this.store = store;
        this.manifests = manifests;
        this.pipeline = pipeline;
        this.owner = settings.owner();
        this.leaseDuration = settings.leaseDuration();
        this.scanInterval = settings.scanInterval();
        this.maxAttempts = settings.maxAttempts();
        this.transferConcurrency = settings.transferConcurrency();
        this.expiry = settings.expiry();
        this.scheduler = scheduler;
        this.observer = observer;
    }

    /**
     * Hands a newly accepted id over; one that does not fit (or arrives while stopping) waits for a scan.
     * Synchronized: a sink refuses emissions from two threads at once, and requests complete on any thread.
     */
    synchronized void offer(PredictionId id) {
        handOver.tryEmitNext(id);
    }

    /**
     * Hands a terminal prediction over, to archive without polling; dropped when already being worked on, and
     * handed over as an id to poll when too many deliveries wait.
     */
    synchronized void deliver(Prediction prediction) {
        observer.terminal(prediction);
        if (deliveries.tryEmitNext(prediction).isFailure()) {
            handOver.tryEmitNext(prediction.id());
        }
    }

    /**
     * Starts the loop. A failure that stops all of it (the API rejects the token) gives every id back and
     * restarts the loop after a growing pause, up to a minute.
     */
    synchronized void start() {
        if (running != null) {
            return;
        }
        log.info("tracked work starts, leases held as '{}'", owner);
        running = Flux.defer(this::workOnce)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofMinutes(1))
                        .scheduler(scheduler)
                        .doBeforeRetry(signal -> log.error("tracked work stopped, restarting: {}",
                                signal.failure().toString())))
                .subscribe();
    }

    private Flux<Void> workOnce() {
        Flux<Void> polled = pipeline.archive(claimed(candidates()), RunOptions.RETRY_FAILED, new LeaseMoves())
                .flatMap(this::record, STORE_CONCURRENCY);
        Flux<Void> delivered = deliveries.asFlux()
                .takeUntilOther(stopClaiming.asMono())
                .filter(prediction -> inFlight.add(prediction.id()))
                .flatMap(this::archiveDelivered, transferConcurrency);
        // a signal, not a cached Mono: cancelling a subscriber of cache() would leave the work itself running
        Sinks.Empty<Void> ended = Sinks.empty();
        drained = ended.asMono();
        Mono<Void> done = Flux.merge(polled, delivered).then()
                .onErrorResume(error -> releaseAll().then(Mono.error(error)))
                .doFinally(signal -> ended.tryEmitEmpty());
        Flux<Void> renewals = Flux.interval(leaseDuration.dividedBy(3), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> renewAll())
                .takeUntilOther(ended.asMono());
        return Flux.merge(done.flux(), renewals);
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
                .then(Mono.fromFuture(() -> CompletableFuture.allOf(claimsInFlight.toArray(CompletableFuture[]::new))
                        .exceptionally(claimFailed -> null)))
                .then(releaseAll());
    }

    private Mono<Void> releaseAll() {
        return Flux.fromIterable(leases.keySet())
                .flatMap(this::forget, STORE_CONCURRENCY)
                .then();
    }

    /** Gives the id back unfinished: its marker keeps its state and any daemon may claim it at once. */
    private Mono<Void> forget(PredictionId id) {
        HeldLease held = leases.remove(id);
        Mono<Void> released = held == null ? Mono.empty() : held.release().onErrorResume(error -> {
            // not fatal: the lease expires by itself, only later than a release would have freed the id
            log.warn("{}: releasing its lease failed, another daemon can claim it once the lease expires: {}", id,
                    error.toString());
            return Mono.empty();
        });
        return released.doFinally(signal -> finished(id));
    }

    private Flux<PredictionId> candidates() {
        Flux<PredictionId> scans = Flux.interval(Duration.ZERO, scanInterval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> store.activeIds()
                        .onErrorResume(error -> {
                            log.warn("scan of tracked ids failed, next in {}: {}", scanInterval, error.toString());
                            return Flux.empty();
                        }), 0);
        return Flux.merge(handOver.asFlux(), scans).takeUntilOther(stopClaiming.asMono());
    }

    private Flux<PredictionId> claimed(Flux<PredictionId> candidates) {
        return candidates.filter(inFlight::add)
                .flatMap(id -> claim(id).map(HeldLease::id), STORE_CONCURRENCY);
    }

    /*
     * The claim runs to its end even when stop cancels the work: S3 may have written it already, and a lease
     * nobody knows of would keep the id from every daemon until it expires. Stop waits for these claims, then
     * gives back every lease, theirs included.
     */
    private Mono<HeldLease> claim(PredictionId id) {
        return Mono.defer(() -> Mono.fromFuture(claimToTheEnd(id), true))
                .onErrorResume(error -> {
                    log.warn("could not claim {}: {}", id, error.toString());
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.fromRunnable(() -> finished(id)));
    }

    private CompletableFuture<HeldLease> claimToTheEnd(PredictionId id) {
        CompletableFuture<HeldLease> claiming = store.claim(id, owner).toFuture()
                .thenApply(lease -> lease == null ? null : hold(id, lease));
        claimsInFlight.add(claiming);
        claiming.whenComplete((held, error) -> claimsInFlight.remove(claiming));
        return claiming;
    }

    private HeldLease hold(PredictionId id, Lease lease) {
        HeldLease held = new HeldLease(store, lease);
        leases.put(id, held);
        return held;
    }

    private Mono<Void> archiveDelivered(Prediction prediction) {
        PredictionId id = prediction.id();
        return claim(id)
                .flatMap(held -> held.advance(State.TRANSFERRING)
                        .doOnSuccess(moved -> observer.transferring(prediction))
                        .then(pipeline.archiveTerminal(prediction)))
                .flatMap(this::record)
                .onErrorResume(error -> {
                    log.warn("could not archive the delivered {}, left to polling: {}", id, error.toString());
                    return forget(id);
                });
    }

    private Mono<Void> record(ArchiveOutcome outcome) {
        PredictionId id = outcome.id();
        HeldLease held = leases.remove(id);
        if (held == null) {
            finished(id);
            return Mono.empty();
        }
        Mono<Void> written = switch (outcome.result()) {
            case ARCHIVED, ALREADY_ARCHIVED -> outcome.worthRetryingFailedFiles(expiry, now())
                    ? retryFailedFiles(held, outcome)
                    : archiveState(outcome)
                    .flatMap(state -> held.archived(state, outcome.manifestKey()))
                    .doOnNext(view -> observer.archived(outcome))
                    .then();
            case FAILED -> outcome.retryable() && held.attempts() < maxAttempts
                    ? held.release().doOnSuccess(done -> observer.retrying(outcome))
                    : held.failed(outcome.reason()).doOnNext(view -> observer.failed(outcome)).then();
            case PLANNED -> held.release();
        };
        return written
                .onErrorResume(error -> {
                    // the id stays active: a scan finds it again once its lease expires
                    log.warn("could not record the outcome of {}: {}", id, error.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> finished(id));
    }

    /*
     * A manifest written now is an archive (its files count); one left as it was is only another try. Either
     * way the id goes back to the markers, for the next scan, with its manifest partial meanwhile.
     */
    private Mono<Void> retryFailedFiles(HeldLease held, ArchiveOutcome outcome) {
        log.info("{}: {} file(s) kept failing; tried again at a later scan until its files expire", outcome.id(),
                outcome.failedFiles());
        return held.release().doOnSuccess(released -> {
            if (outcome.result() == ArchiveOutcome.Result.ARCHIVED) {
                observer.archived(outcome);
            } else {
                observer.retrying(outcome);
            }
        });
    }

    private Instant now() {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }

    private void finished(PredictionId id) {
        inFlight.remove(id);
        observer.finished(id);
    }

    private Mono<String> archiveState(ArchiveOutcome outcome) {
        if (outcome.state() != null) {
            return Mono.just(outcome.state().json());
        }
        return manifests.find(outcome.id()).map(manifest -> manifest.state().json()).defaultIfEmpty("unknown");
    }

    private Mono<Void> renewAll() {
        return Flux.fromIterable(leases.values())
                .flatMap(held -> held.renew().onErrorResume(error -> {
                    log.warn("could not renew the lease on {}: {}", held.id(), error.toString());
                    return Mono.empty();
                }), STORE_CONCURRENCY)
                .then();
    }

    /** Each stage move of the pipeline, written to the id's marker under its lease. */
    private final class LeaseMoves implements StageListener {

        @Override
        public Mono<Void> polling(PredictionId id) {
            return move(id, State.POLLING);
        }

        @Override
        public void awaitingTransfer(Prediction prediction) {
            observer.terminal(prediction);
        }

        @Override
        public Mono<Void> transferring(Prediction prediction) {
            return move(prediction.id(), State.TRANSFERRING).doOnSuccess(moved -> observer.transferring(prediction));
        }

        private Mono<Void> move(PredictionId id, State next) {
            HeldLease held = leases.get(id);
            return held == null ? Mono.empty() : held.advance(next).then();
        }
    }
}
