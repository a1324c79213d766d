package io.predictionarchiver.poll;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * An API call failed for good: retries on 429, 5xx, connection errors, timeouts or unreadable bodies were
 * exhausted, or the API answered a status that retrying cannot fix, or (listing) it sent a {@code next} page
 * URL that is refused because it is not on the API's origin. The cause is the last failure, if any. The
 * prediction itself may be fine; archiving the id (or listing) again later may succeed. {@link #predictionId()}
 * is {@code null} for a list call.
 */
public final class ApiUnavailableException extends ArchiveException {

    public ApiUnavailableException(PredictionId predictionId, String message, Throwable cause) {
        super(predictionId, message, cause);
    }

    @Override
    public FailureKind kind() {
        return FailureKind.API;
    }
}
