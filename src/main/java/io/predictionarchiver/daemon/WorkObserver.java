package io.predictionarchiver.daemon;

import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

/** Hears what {@link TrackedWork} does with each id (its parts report here): the daemon's metrics. */
interface WorkObserver {

    /**
     * {@code prediction} is terminal and waits to transfer: a poll saw it so, or a webhook delivered it. Heard
     * at most once per poll or delivery, before {@link #transferring}.
     */
    default void terminal(Prediction prediction) {
    }

    /** The files of {@code prediction}, now terminal, start to transfer (polled, or delivered by a webhook). */
    default void transferring(Prediction prediction) {
    }

    /** The id ended archived (now, or found archived before). */
    default void archived(ArchiveOutcome outcome) {
    }

    /** The id failed for a reason that may pass and was given back for another attempt. */
    default void retrying(ArchiveOutcome outcome) {
    }

    /** The id ended failed. */
    default void failed(ArchiveOutcome outcome) {
    }

    /**
     * This daemon no longer works on {@code id}, whatever the reason (an outcome, heard first; a lost lease;
     * a stop): what was kept about it may go.
     */
    default void finished(PredictionId id) {
    }
}
