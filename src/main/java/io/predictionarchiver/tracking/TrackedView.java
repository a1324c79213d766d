package io.predictionarchiver.tracking;

import java.time.Instant;

import io.predictionarchiver.prediction.PredictionId;

/**
 * What {@code GET /v1/tracked/{id}} shows of a tracked id.
 *
 * @param id           the prediction id
 * @param state        where it stands
 * @param archiveState the manifest's {@code archive.state} once {@link State#ARCHIVED}, else {@code null}
 * @param manifestKey  the manifest's key once {@link State#ARCHIVED}, else {@code null}
 * @param reason       why it {@link State#FAILED}, else {@code null}
 * @param attempts     how many times a daemon claimed it (0 while nobody has)
 * @param updatedAt    the last change of its marker
 */
public record TrackedView(PredictionId id, State state, String archiveState, String manifestKey, String reason,
        int attempts, Instant updatedAt) {
}
