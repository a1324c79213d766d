package io.predictionarchiver.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.predictionarchiver.config.RetentionProperties;
import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.StageListener;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.transfer.FileState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The retention race as the daemon and its queue consumer see it: completed predictions they hold but have not
 * archived yet, each assumed to lose its files at {@code completed_at} + {@code archiver.expiry}.
 *
 * <p><b>Meters.</b> {@code archiver_expiry_margin_seconds}: the least time left before the files of any of
 * them expire (negative once past it); the whole {@code archiver.expiry} when none is waiting, which is what a
 * prediction completing now would have. {@code archiver_files_expired_total}: file entries recorded
 * {@code expired} in manifests this process wrote for predictions it saw in time to have copied them.
 *
 * <p><b>In time.</b> A prediction counts only when, first seen terminal, it did not report
 * {@code data_removed} and its expiry had not passed: the race can then still be won. Ids handed over long
 * after expiry (a re-ingestion of old predictions) would otherwise hold the margin below zero for nothing.
 * A prediction without {@code completed_at} has no known expiry: it counts for lost files, not for the margin.
 *
 * <p><b>Bounds.</b> One small entry per prediction held, kept from {@link #completed} to {@link #released} (or
 * the outcome, in {@link #watch}); so bounded by the work in flight. Entries are by id: if the work loop and
 * the queue consumer hold one id at once, the first to finish releases it for both (the manifest exists, or
 * the second attempt is seen again when it transfers). Every method is thread-safe and does not block; counting
 * lost files reads the manifest (one GET, only for a manifest written {@code expired} or {@code partial}) in
 * the background, and a failed read is logged and not counted.
 */
public final class ExpiryWatch {

    private static final Logger log = LoggerFactory.getLogger(ExpiryWatch.class);

    private final Duration expiry;
    private final ManifestStore manifests;
    private final Clock clock;
    private final Map<PredictionId, Seen> held = new ConcurrentHashMap<>();
    private final Counter expiredFiles;

    /** What was known of a prediction when it was first seen terminal. */
    private record Seen(Instant completedAt, boolean inTime) {
    }

    public ExpiryWatch(RetentionProperties retention, ManifestStore manifests, MeterRegistry registry, Clock clock) {
        this.expiry = retention.expiry();
        this.manifests = Objects.requireNonNull(manifests, "manifests");
        this.clock = Objects.requireNonNull(clock, "clock");
        TimeGauge.builder("archiver.expiry.margin", this, TimeUnit.SECONDS, ExpiryWatch::marginSeconds)
                .description("Least time left before the files of a completed, not yet archived prediction expire"
                        + " (completed_at + archiver.expiry); archiver.expiry when none is waiting")
                .register(registry);
        expiredFiles = Counter.builder("archiver.files.expired")
                .description("Files recorded expired in manifests of predictions seen in time to copy them")
                .register(registry);
    }

    /** {@code prediction}, terminal, is held for archiving; seeing it again changes nothing. */
    public void completed(Prediction prediction) {
        if (prediction.terminal()) {
            held.computeIfAbsent(prediction.id(), id -> seen(prediction));
        }
    }

    /**
     * The outcome of a held id: a manifest written now that records expired files counts them when the id was
     * seen in time. The id stays held until {@link #released}.
     */
    public void ended(ArchiveOutcome outcome) {
        Seen seen = held.get(outcome.id());
        boolean mayHaveLost = outcome.state() == ArchiveState.EXPIRED || outcome.state() == ArchiveState.PARTIAL;
        if (seen == null || !seen.inTime() || outcome.result() != ArchiveOutcome.Result.ARCHIVED || !mayHaveLost) {
            return;
        }
        manifests.find(outcome.id())
                .map(manifest -> manifest.files().stream().filter(file -> file.state() == FileState.EXPIRED).count())
                .subscribe(expiredFiles::increment, error -> log.warn("could not count the expired files of {}: {}",
                        outcome.id(), error.toString()));
    }

    /** This process no longer works on {@code id}, whatever the reason. */
    public void released(PredictionId id) {
        held.remove(id);
    }

    /**
     * One pipeline run under watch: {@code run} gets the listener to hand to the pipeline (or to call itself,
     * for a prediction delivered terminal); each prediction it sees terminal is held until its outcome, and
     * whatever is still held when the run ends, fails or is cancelled is released.
     */
    public Flux<ArchiveOutcome> watch(Function<StageListener, Flux<ArchiveOutcome>> run) {
        return Flux.defer(() -> {
            Set<PredictionId> ofThisRun = ConcurrentHashMap.newKeySet();
            StageListener listener = new StageListener() {

                @Override
                public void awaitingTransfer(Prediction prediction) {
                    ofThisRun.add(prediction.id());
                    completed(prediction);
                }

                @Override
                public Mono<Void> transferring(Prediction prediction) {
                    awaitingTransfer(prediction);
                    return Mono.empty();
                }
            };
            return run.apply(listener)
                    .doOnNext(outcome -> {
                        ended(outcome);
                        released(outcome.id());
                        ofThisRun.remove(outcome.id());
                    })
                    .doFinally(signal -> ofThisRun.forEach(this::released));
        });
    }

    /** The margin as the gauge shows it, in seconds. */
    double marginSeconds() {
        Instant earliest = null;
        for (Seen seen : held.values()) {
            if (seen.inTime() && seen.completedAt() != null
                    && (earliest == null || seen.completedAt().isBefore(earliest))) {
                earliest = seen.completedAt();
            }
        }
        Duration margin = earliest == null ? expiry : Duration.between(clock.instant(), earliest.plus(expiry));
        return margin.toMillis() / 1000.0;
    }

    private Seen seen(Prediction prediction) {
        Instant completedAt = prediction.completedAt();
        boolean inTime = !prediction.dataRemoved()
                && (completedAt == null || clock.instant().isBefore(completedAt.plus(expiry)));
        return new Seen(completedAt, inTime);
    }
}
