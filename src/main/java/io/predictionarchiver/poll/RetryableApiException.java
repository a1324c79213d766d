package io.predictionarchiver.poll;

import java.time.Duration;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.PredictionId;

/**
 * One API attempt failed in a way that may pass on its own (429, 5xx, connection error, timeout, a body that
 * is not a prediction). {@link ApiRetry} retries exactly this type; when it gives up, it reports an
 * {@link ApiUnavailableException} caused by the last one.
 */
class RetryableApiException extends ArchiveException {

    private final Duration retryAfter;
    private final boolean throttled;

    RetryableApiException(PredictionId predictionId, String message, Duration retryAfter, boolean throttled,
            Throwable cause) {
        super(predictionId, message, cause);
        this.retryAfter = retryAfter;
        this.throttled = throttled;
    }

    /** The wait the server asked for ({@code Retry-After}), or {@code null} when it did not say. */
    Duration retryAfter() {
        return retryAfter;
    }

    /** Whether the server throttled us (429), which points at the rate budget rather than an outage. */
    boolean throttled() {
        return throttled;
    }
}
