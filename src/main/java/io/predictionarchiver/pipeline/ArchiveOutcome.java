package io.predictionarchiver.pipeline;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.manifest.ArchivePlan;
import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestCommit;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

/**
 * What became of one id.
 *
 * @param result      archived now, already archived (nothing written), failed, or only planned (dry run)
 * @param state       the manifest's archive state; {@code null} when failed
 * @param manifestKey where the manifest is; {@code null} when failed
 * @param files       files stored by this run
 * @param bytes       bytes stored by this run
 * @param reason      why it failed, what a dry run would do, or why a forced re-archive changed nothing;
 *                    {@code null} otherwise
 * @param retryable   for a failure: whether trying again later may succeed ({@link FailureKind#retryable()})
 * @param cause       for a failure: what kind of thing failed, named by the error's type (metrics label by it);
 *                    {@code null} otherwise
 * @param failedFiles files this run tried that kept failing (recorded {@code failed} in the manifest, or still
 *                    so in a forced re-archive that changed nothing): a later run may store them while their
 *                    delivery URLs last
 * @param completedAt the prediction's {@code completed_at}, from which its files' expiry follows, when this run
 *                    transferred it; {@code null} otherwise
 */
public record ArchiveOutcome(
        PredictionId id, Result result, ArchiveState state, String manifestKey, int files, long bytes,
        String reason, boolean retryable, FailureKind cause, int failedFiles, Instant completedAt) {

    public enum Result { ARCHIVED, ALREADY_ARCHIVED, FAILED, PLANNED }

    /** The outcome of a prediction whose files the manifest stage took as {@code commit}. */
    static ArchiveOutcome committed(Prediction prediction, ManifestCommit commit) {
        return switch (commit.result()) {
            case WRITTEN -> archived(prediction, commit.state(), commit.key(), commit.storedObjects(),
                    commit.storedBytes(), commit.failedFiles());
            case EXISTED -> alreadyArchived(prediction.id(), commit.key());
            case UNCHANGED -> unchanged(prediction, commit.key(), commit.note(), commit.failedFiles());
        };
    }

    /** The outcome of an id whose plan does no work: already archived, or a dry run saying what it would do. */
    static ArchiveOutcome leftAsPlanned(PredictionId id, ArchivePlan plan) {
        return plan instanceof ArchivePlan.DryRun dryRun
                ? planned(id, dryRun.manifestKey(), dryRun.wouldDo())
                : alreadyArchived(id, plan.manifestKey());
    }

    static ArchiveOutcome archived(Prediction prediction, ArchiveState state, String manifestKey, int files,
            long bytes, int failedFiles) {
        return new ArchiveOutcome(prediction.id(), Result.ARCHIVED, state, manifestKey, files, bytes, null, false,
                null, failedFiles, prediction.completedAt());
    }

    static ArchiveOutcome alreadyArchived(PredictionId id, String manifestKey) {
        return new ArchiveOutcome(id, Result.ALREADY_ARCHIVED, null, manifestKey, 0, 0, null, false, null, 0, null);
    }

    /** A forced re-archive of {@code prediction} that stored no more files, so left its manifest as it was. */
    static ArchiveOutcome unchanged(Prediction prediction, String manifestKey, String note, int failedFiles) {
        return new ArchiveOutcome(prediction.id(), Result.ALREADY_ARCHIVED, null, manifestKey, 0, 0, note, false,
                null, failedFiles, prediction.completedAt());
    }

    static ArchiveOutcome planned(PredictionId id, String manifestKey, String plan) {
        return new ArchiveOutcome(id, Result.PLANNED, null, manifestKey, 0, 0, plan, false, null, 0, null);
    }

    /** {@code error} ended {@code id}: its message is the reason, its type the {@link FailureKind}. */
    static ArchiveOutcome failed(PredictionId id, Throwable error) {
        FailureKind cause = FailureKind.of(error);
        return new ArchiveOutcome(id, Result.FAILED, null, null, 0, 0,
                error.getMessage() == null ? error.toString() : error.getMessage(), cause.retryable(), cause, 0,
                null);
    }

    /**
     * Whether {@code error} ends only the id it concerns, as a {@link #failed} outcome, rather than the run: not
     * when its type {@linkplain ArchiveException#endsTheRun() says it ends the run} (a rejected API token), nor
     * for an {@link Error} (out of memory above all), which leaves nothing to trust.
     */
    static boolean concernsOneId(Throwable error) {
        return !(error instanceof Error) && !(error instanceof ArchiveException archive && archive.endsTheRun());
    }

    /** An id the run stopped before it was done: trying again may archive it. */
    public static ArchiveOutcome stopped(PredictionId id, String reason) {
        return new ArchiveOutcome(id, Result.FAILED, null, null, 0, 0, reason, true, FailureKind.STOPPED, 0, null);
    }

    public boolean failed() {
        return result == Result.FAILED;
    }

    /**
     * Whether a later run may still store files this one could not: some kept failing, and {@code expiry}
     * after the prediction's {@code completed_at} (when the delivery host removes them) has not passed at
     * {@code now}. A prediction without {@code completed_at} has no known expiry: never worth it.
     */
    public boolean worthRetryingFailedFiles(Duration expiry, Instant now) {
        return failedFiles > 0 && completedAt != null && now.isBefore(completedAt.plus(expiry));
    }
}
