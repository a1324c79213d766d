package io.predictionarchiver.source;

import java.time.Instant;
import java.util.Comparator;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

/**
 * What backfill keeps of a listed prediction to order it by urgency: its id, how urgent it is, and the instant
 * that orders it within its urgency. A few dozen bytes plus the id, instead of the body.
 */
record ExpiryCandidate(PredictionId id, Urgency urgency, Instant since) {

    /** Most urgent first. */
    enum Urgency {
        /** terminal with files still there: they go about an hour after {@code completed_at} */
        EXPIRING,
        /** still running: its hour has not started */
        RUNNING,
        /** {@code data_removed}: nothing left to fetch, archived only so that the manifest records it */
        EXPIRED
    }

    /** Urgency, then the earlier instant, then the id so that the order is the same on every run. */
    static final Comparator<ExpiryCandidate> NEAREST_EXPIRY_FIRST = Comparator
            .comparing(ExpiryCandidate::urgency)
            .thenComparing(ExpiryCandidate::since, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(candidate -> candidate.id().value());

    /**
     * Terminal predictions count from {@code completed_at} (from {@code created_at} when the body has none, as
     * an aborted one may), running ones from {@code created_at}.
     */
    static ExpiryCandidate of(Prediction prediction) {
        Instant completedOrCreated = prediction.completedAt() != null
                ? prediction.completedAt() : prediction.createdAt();
        if (prediction.dataRemoved()) {
            return new ExpiryCandidate(prediction.id(), Urgency.EXPIRED, completedOrCreated);
        }
        return prediction.terminal()
                ? new ExpiryCandidate(prediction.id(), Urgency.EXPIRING, completedOrCreated)
                : new ExpiryCandidate(prediction.id(), Urgency.RUNNING, prediction.createdAt());
    }
}
