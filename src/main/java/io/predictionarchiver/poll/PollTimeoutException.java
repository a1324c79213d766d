package io.predictionarchiver.poll;

import java.time.Duration;

import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.FailureKind;
import io.predictionarchiver.prediction.PredictionId;

/**
 * A prediction did not reach a terminal status within {@code archiver.poll.max-wait} of the start of
 * watching it. The prediction may still finish later; archiving the id again picks it up.
 */
public final class PollTimeoutException extends ArchiveException {

    private final String lastStatus;
    private final Duration maxWait;

    public PollTimeoutException(PredictionId predictionId, String lastStatus, Duration maxWait) {
        super(predictionId, "prediction " + predictionId + " is not terminal after " + maxWait
                + " (archiver.poll.max-wait); last status seen: " + describe(lastStatus)
                + ". Raise archiver.poll.max-wait or archive the id again once it has finished");
        this.lastStatus = lastStatus;
        this.maxWait = maxWait;
    }

    /** The last status read from the API, or {@code null} when no poll had answered yet. */
    public String lastStatus() {
        return lastStatus;
    }

    public Duration maxWait() {
        return maxWait;
    }

    private static String describe(String lastStatus) {
        return lastStatus == null ? "none (no poll answered)" : "'" + lastStatus + "'";
    }

    @Override
    public FailureKind kind() {
        return FailureKind.WAIT_EXCEEDED;
    }
}
