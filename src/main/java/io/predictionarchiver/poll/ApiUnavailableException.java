package io.predictionarchiver.poll;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;

/**
 * An API call for a prediction failed for good: retries on 429, 5xx, connection errors, timeouts or
 * unreadable bodies were exhausted, or the API answered a status that retrying cannot fix. The cause is the
 * last failure. The prediction itself may be fine; archiving the id again later may succeed.
 */
public final class ApiUnavailableException extends ArchiveException {

    public ApiUnavailableException(PredictionId predictionId, String message, Throwable cause) {
        super(predictionId, message, cause);
    }
}
