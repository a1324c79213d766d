package io.predictionarchiver.pipeline;

import java.time.Instant;
import java.util.Comparator;

import io.predictionarchiver.manifest.ArchivePlan;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

/** Where an id stands between the await stage and the transfer stage of {@link ArchivePipeline}. */
sealed interface Step {

    /** Finished ids first (they cost no transfer), then by completion time, earliest first. */
    Comparator<Step> NEAREST_EXPIRY_FIRST = Comparator.comparing(Step::completedAt,
            Comparator.nullsLast(Comparator.naturalOrder()));

    Instant completedAt();

    /** {@code error} ended {@code id} before its transfer. */
    static Step failed(PredictionId id, Throwable error) {
        return new Finished(ArchiveOutcome.failed(id, error));
    }

    /** Nothing left to do: the plan left the id alone, or it failed. */
    record Finished(ArchiveOutcome outcome) implements Step {
        @Override
        public Instant completedAt() {
            return Instant.MIN;
        }
    }

    /** A terminal prediction whose files are to be transferred and committed as {@code plan} says. */
    record Ready(Prediction prediction, ArchivePlan.Archive plan) implements Step {
        @Override
        public Instant completedAt() {
            return prediction.completedAt();
        }
    }
}
