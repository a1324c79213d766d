package io.predictionarchiver.tracking;

import io.predictionarchiver.prediction.PredictionId;

/**
 * The result of {@link TrackingStore#accept}: the id is durably tracked either way.
 *
 * @param id           the id
 * @param newlyTracked {@code false} when it was already tracked (active or final) before this call
 */
public record Acceptance(PredictionId id, boolean newlyTracked) {
}
