package io.predictionarchiver.prediction;

/**
 * Root of the archiver's error signals. Each carries the prediction id it concerns (when known) so that a
 * failure can be reported per id; the message never contains a secret.
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
}
