package io.predictionarchiver.transfer;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * A transfer failure worth another attempt: a 5xx or 429 from the delivery host, a connection error, a
 * timeout, a body that ended early, or an S3 error ({@link StorageException}). Retry on
 * {@code instanceof TransientTransferException}.
 */
public class TransientTransferException extends ArchiveException {

    private final String url;

    public TransientTransferException(PredictionId predictionId, String url, String message, Throwable cause) {
        super(predictionId, message, cause);
        this.url = url;
    }

    /** The delivery URL being fetched, or {@code null} when the failure happened while storing. */
    public String url() {
        return url;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.DELIVERY;
    }
}
