package io.predictionarchiver.transfer;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;

/**
 * The delivery host no longer has the file (404, 403 or 410): the URL expired. Not retryable; the file is
 * recorded as {@code expired}.
 */
final class SourceGoneException extends ArchiveException {

    private final String url;

    SourceGoneException(PredictionId predictionId, String url, String message) {
        super(predictionId, message);
        this.url = url;
    }

    /** The delivery URL that answered "gone". */
    String url() {
        return url;
    }
}
