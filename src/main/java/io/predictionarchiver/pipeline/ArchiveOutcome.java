package io.predictionarchiver.pipeline;

import io.predictionarchiver.manifest.ArchiveState;
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
 * @param retryable   for a failure: whether trying again later may succeed (an unavailable API or S3, a delivery
 *                    that kept failing); {@code false} when the prediction does not exist
 */
public record ArchiveOutcome(
        PredictionId id, Result result, ArchiveState state, String manifestKey, int files, long bytes,
        String reason, boolean retryable) {

    public enum Result { ARCHIVED, ALREADY_ARCHIVED, FAILED, PLANNED }

    static ArchiveOutcome archived(PredictionId id, ArchiveState state, String manifestKey, int files, long bytes) {
        return new ArchiveOutcome(id, Result.ARCHIVED, state, manifestKey, files, bytes, null, false);
    }

    static ArchiveOutcome alreadyArchived(PredictionId id, String manifestKey) {
        return alreadyArchived(id, manifestKey, null);
    }

    static ArchiveOutcome alreadyArchived(PredictionId id, String manifestKey, String note) {
        return new ArchiveOutcome(id, Result.ALREADY_ARCHIVED, null, manifestKey, 0, 0, note, false);
    }

    static ArchiveOutcome planned(PredictionId id, String manifestKey, String plan) {
        return new ArchiveOutcome(id, Result.PLANNED, null, manifestKey, 0, 0, plan, false);
    }

    static ArchiveOutcome failed(PredictionId id, String reason, boolean retryable) {
        return new ArchiveOutcome(id, Result.FAILED, null, null, 0, 0, reason, retryable);
    }

    public boolean failed() {
        return result == Result.FAILED;
    }
}
