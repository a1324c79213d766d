package io.predictionarchiver.transfer;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * A delivery URL that must not be fetched or stored: not https, host not allowed, a private address, a
 * redirect to such a URL, a client error, or a file larger than {@code archiver.download.max-file-size}.
 * Not retryable; the file is recorded as {@code rejected} with this message as the reason.
 */
public class SourceRejectedException extends ArchiveException {

    private final String url;

    public SourceRejectedException(PredictionId predictionId, String url, String message) {
        super(predictionId, message);
        this.url = url;
    }

    /** The URL that was rejected, or {@code null} when the rejection happened while storing the body. */
    public String url() {
        return url;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.DELIVERY;
    }
}
