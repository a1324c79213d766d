package io.predictionarchiver.prediction;

/**
 * Root of the archiver's error signals. Each carries the prediction id it concerns (when known) so that a
 * failure can be reported per id; the message never contains a secret. A subtype says what kind of failure it
 * is ({@link #kind()}) and whether it ends the run rather than the id ({@link #endsTheRun()}).
 */
public class ArchiveException extends RuntimeException {

    private final PredictionId predictionId;

    public ArchiveException(PredictionId predictionId, String message) {
        this(predictionId, message, null);
    }

    public ArchiveException(PredictionId predictionId, String message, Throwable cause) {
        super(message, cause);
        this.predictionId = predictionId;
    }

    /** The prediction this failure concerns, or {@code null} when it concerns the whole run. */
    public PredictionId predictionId() {
        return predictionId;
    }

    /**
     * What kind of failure this is; {@code null} when the type does not say, as for a wrapper whose cause may
     * ({@link FailureKind#of} reads the chain).
     */
    public FailureKind kind() {
        return null;
    }

    /**
     * Whether this failure ends the whole run rather than only the id it concerns, because every further call
     * would meet it too; {@code false} unless the type says so.
     */
    public boolean endsTheRun() {
        return false;
    }
}
