package io.predictionarchiver.daemon;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.prediction.WallTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Records each outcome durably under the id's lease, as {@link Disposition} decides, tells the observer, and
 * ends the id in hand. An outcome whose lease was given back meanwhile (a stop) writes nothing. A write that
 * fails is logged and leaves the id active: a scan finds it again once its lease expires. Never fails.
 */
final class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final LeaseHolder leases;
    private final ManifestStore manifests;
    private final WorkObserver observer;
    private final int maxAttempts;
    private final Duration expiry;
    private final Scheduler scheduler;

    /**
     * @param maxAttempts claims after which an id that keeps failing transiently ends failed
     * @param expiry      how long after completion a prediction's files stay fetchable
     * @param scheduler   whose clock says whether they still are
     */
    OutcomeRecorder(LeaseHolder leases, ManifestStore manifests, WorkObserver observer, int maxAttempts,
            Duration expiry, Scheduler scheduler) {
        this.leases = leases;
        this.manifests = manifests;
        this.observer = observer;
        this.maxAttempts = maxAttempts;
        this.expiry = expiry;
        this.scheduler = scheduler;
    }

    Mono<Void> record(ArchiveOutcome outcome) {
        PredictionId id = outcome.id();
        HeldLease held = leases.handOut(id);
        if (held == null) {
            leases.finished(id);
            return Mono.empty();
        }
        Instant now = WallTime.of(scheduler);
        Mono<Void> written = switch (Disposition.of(outcome, held.attempts(), maxAttempts, expiry, now)) {
            case ARCHIVE -> archiveState(outcome)
                    .flatMap(state -> held.archived(state, outcome.manifestKey()))
                    .doOnNext(view -> observer.archived(outcome))
                    .then();
            case FAIL -> held.failed(outcome.reason()).doOnNext(view -> observer.failed(outcome)).then();
            case RETRY -> held.release().doOnSuccess(released -> observer.retrying(outcome));
            case RETRY_FAILED_FILES -> retryFailedFiles(held, outcome);
            case GIVE_BACK -> held.release();
        };
        return written
                .onErrorResume(error -> {
                    // the id stays active: a scan finds it again once its lease expires
                    log.warn("could not record the outcome of {}: {}", id, error.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> leases.finished(id));
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

    private Mono<String> archiveState(ArchiveOutcome outcome) {
        if (outcome.state() != null) {
            return Mono.just(outcome.state().json());
        }
        return manifests.find(outcome.id()).map(manifest -> manifest.state().json()).defaultIfEmpty("unknown");
    }
}
