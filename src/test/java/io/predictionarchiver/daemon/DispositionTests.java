package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchiveOutcome.Result;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.Test;

/** The rules that decide what recording an outcome does with its id: a pure function, no store, no clock. */
class DispositionTests {

    private static final PredictionId ID = PredictionId.of("disposed");
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static final Instant COMPLETED = Instant.parse("2026-11-20T12:00:00Z");
    private static final Instant BEFORE_EXPIRY = COMPLETED.plus(EXPIRY).minusMillis(1);
    private static final int MAX_ATTEMPTS = 3;

    @Test
    void anArchiveWithEveryFileStoredEndsTrackingAsArchived() {
        assertThat(of(archived(Result.ARCHIVED, 0, COMPLETED), 1)).isEqualTo(Disposition.ARCHIVE);
        assertThat(of(archived(Result.ALREADY_ARCHIVED, 0, null), 1)).isEqualTo(Disposition.ARCHIVE);
    }

    @Test
    void filesThatKeptFailingAreTriedAgainUntilTheyExpireWhateverTheNumberOfClaims() {
        assertThat(of(archived(Result.ARCHIVED, 2, COMPLETED), MAX_ATTEMPTS + 10))
                .isEqualTo(Disposition.RETRY_FAILED_FILES);
        // a later claim that stored no more files leaves the manifest as it was: tried again all the same
        assertThat(of(archived(Result.ALREADY_ARCHIVED, 2, COMPLETED), MAX_ATTEMPTS + 10))
                .isEqualTo(Disposition.RETRY_FAILED_FILES);
    }

    @Test
    void onceTheFilesExpiredTheArchiveEndsAsItIsPartial() {
        assertThat(Disposition.of(archived(Result.ARCHIVED, 2, COMPLETED), 1, MAX_ATTEMPTS, EXPIRY,
                COMPLETED.plus(EXPIRY))).isEqualTo(Disposition.ARCHIVE);
    }

    @Test
    void failingFilesOfAPredictionWithoutCompletionTimeHaveNoKnownExpiryAndEndArchived() {
        assertThat(of(archived(Result.ARCHIVED, 2, null), 1)).isEqualTo(Disposition.ARCHIVE);
    }

    @Test
    void aFailureThatMayPassIsRetriedUntilTheLastAttemptThenEndsFailed() {
        ArchiveOutcome unavailable = failed(true);

        assertThat(of(unavailable, 1)).isEqualTo(Disposition.RETRY);
        assertThat(of(unavailable, MAX_ATTEMPTS - 1)).isEqualTo(Disposition.RETRY);
        assertThat(of(unavailable, MAX_ATTEMPTS)).isEqualTo(Disposition.FAIL);
    }

    @Test
    void aFailureThatWillNotPassEndsFailedAtTheFirstAttempt() {
        assertThat(of(failed(false), 1)).isEqualTo(Disposition.FAIL);
    }

    @Test
    void aPlannedIdIsGivenBackAsItWas() {
        ArchiveOutcome planned = new ArchiveOutcome(ID, Result.PLANNED, null, "predictions/disposed/prediction.json",
                0, 0, "would archive", false, null, 0, null);

        assertThat(of(planned, 1)).isEqualTo(Disposition.GIVE_BACK);
    }

    private static Disposition of(ArchiveOutcome outcome, int attempts) {
        return Disposition.of(outcome, attempts, MAX_ATTEMPTS, EXPIRY, BEFORE_EXPIRY);
    }

    private static ArchiveOutcome archived(Result result, int failedFiles, Instant completedAt) {
        ArchiveState state = result != Result.ARCHIVED ? null
                : failedFiles == 0 ? ArchiveState.COMPLETE : ArchiveState.PARTIAL;
        return new ArchiveOutcome(ID, result, state, "predictions/disposed/prediction.json", 1, 10, null, false,
                null, failedFiles, completedAt);
    }

    private static ArchiveOutcome failed(boolean retryable) {
        return new ArchiveOutcome(ID, Result.FAILED, null, null, 0, 0, "API unavailable", retryable,
                FailureKind.API, 0, null);
    }
}
