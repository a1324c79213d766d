package io.predictionarchiver.transfer;

import io.predictionarchiver.prediction.PredictionId;

/** An S3 request failed; retryable like every {@link TransientTransferException}. */
public class StorageException extends TransientTransferException {

    private final String key;

    public StorageException(PredictionId predictionId, String key, String message, Throwable cause) {
        super(predictionId, null, message, cause);
        this.key = key;
    }

    /** The S3 key being written when the request failed. */
    public String key() {
        return key;
    }
}
