package io.predictionarchiver.daemon;

import java.time.Duration;
import java.time.Instant;

import io.predictionarchiver.pipeline.ArchiveOutcome;

/**
 * What recording an outcome does with its id: end tracking, or give the id back for a later scan to claim
 * again. Decided from the outcome, the claims so far and the time alone ({@link #of}), so the rules read in
 * one place and are tested without a store.
 */
enum Disposition {

    /** Ends tracking as archived. */
    ARCHIVE,
    /** Ends tracking as failed. */
    FAIL,
    /** Gives the id back for another attempt: it failed for a reason that may pass. */
    RETRY,
    /**
     * Gives the archived id back, its manifest {@code partial} meanwhile: files of it kept failing and have not
     * expired yet, so a later claim tries them again.
     */
    RETRY_FAILED_FILES,
    /** Gives the id back as it was: the run only planned it. */
    GIVE_BACK;

    /**
     * Archived (now or before) ends as archived unless files kept failing and {@code expiry} after the
     * prediction's {@code completed_at} has not passed at {@code now}: then they are tried again, whatever the
     * number of claims. A failure that may pass is retried until {@code maxAttempts} claims; one that will not
     * pass (no such prediction) ends as failed at once.
     *
     * @param attempts claims of the id so far, the one whose outcome this is included
     */
    static Disposition of(ArchiveOutcome outcome, int attempts, int maxAttempts, Duration expiry, Instant now) {
        return switch (outcome.result()) {
            case ARCHIVED, ALREADY_ARCHIVED -> outcome.worthRetryingFailedFiles(expiry, now)
                    ? RETRY_FAILED_FILES : ARCHIVE;
            case FAILED -> outcome.retryable() && attempts < maxAttempts ? RETRY : FAIL;
            case PLANNED -> GIVE_BACK;
        };
    }
}
