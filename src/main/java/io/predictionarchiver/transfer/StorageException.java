package io.predictionarchiver.transfer;

import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * An S3 request failed, writing or reading a file or a manifest; retryable like every
 * {@link TransientTransferException}. The stage that makes the request wraps the SDK's error in it (the cause).
 */
public class StorageException extends TransientTransferException {

    private final String key;

    public StorageException(PredictionId predictionId, String key, String message, Throwable cause) {
        super(predictionId, null, message, cause);
        this.key = key;
    }

    /** The S3 key of the request that failed. */
    public String key() {
        return key;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.STORAGE;
    }
}
