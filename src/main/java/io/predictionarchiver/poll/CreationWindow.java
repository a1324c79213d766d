package io.predictionarchiver.poll;

import java.time.Instant;

import io.predictionarchiver.prediction.Prediction;

/**
 * Creation times {@code [since, until)} of a listing, either end open when {@code null}. Applied again to
 * what the API returns, in case it ignores {@code created_after} or {@code created_before}; a result without
 * a readable {@code created_at} is kept, since nothing says it is outside.
 */
record CreationWindow(Instant since, Instant until) {

    CreationWindow {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until, but they were " + since + " and " + until);
        }
    }

    boolean contains(Prediction prediction) {
        Instant created = prediction.createdAt();
        return created == null || !isOlder(created) && (until == null || created.isBefore(until));
    }

    /** Whether the prediction was created before {@code since}: in a newest-first listing, so is all that follows. */
    boolean isOlder(Prediction prediction) {
        return prediction.createdAt() != null && isOlder(prediction.createdAt());
    }

    private boolean isOlder(Instant created) {
        return since != null && created.isBefore(since);
    }
}
