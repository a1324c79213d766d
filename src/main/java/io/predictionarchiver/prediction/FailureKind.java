package io.predictionarchiver.prediction;

import java.util.Locale;

/**
 * What kind of thing made an id fail: the vocabulary every stage's errors share, named by the error types
 * themselves ({@link ArchiveException#kind()}). Its {@link #label()} is a metrics label.
 */
public enum FailureKind {
    /** the API has no such prediction */
    NOT_FOUND,
    /** not terminal within {@code archiver.poll.max-wait} */
    WAIT_EXCEEDED,
    /** the API kept failing or refusing */
    API,
    /** a delivery URL kept failing or was refused */
    DELIVERY,
    /** S3 kept failing */
    STORAGE,
    /** the run stopped before the id was done */
    STOPPED,
    /** anything else */
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether trying the id again later may succeed: not when the prediction does not exist. */
    public boolean retryable() {
        return this != NOT_FOUND;
    }

    /**
     * The kind named by the first error in {@code error}'s cause chain that names one (a wrapper, such as the
     * transfer's "still failing after 3 attempts", leaves it to its cause); {@link #OTHER} when none does.
     */
    public static FailureKind of(Throwable error) {
        for (Throwable at = error; at != null; at = at.getCause() == at ? null : at.getCause()) {
            if (at instanceof ArchiveException named && named.kind() != null) {
                return named.kind();
            }
        }
        return OTHER;
    }
}
