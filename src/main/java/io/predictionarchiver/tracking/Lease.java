package io.predictionarchiver.tracking;

import java.time.Instant;

import io.predictionarchiver.prediction.PredictionId;

/**
 * A daemon's exclusive, expiring claim on an active id; pass it to every later update of that id.
 *
 * @param id        the id
 * @param owner     the daemon holding it
 * @param expiresAt when another daemon may take the id over unless {@link TrackingStore#renew renewed}
 * @param state     the id's active state as this lease last wrote it
 * @param attempts  claims so far, this one included
 * @param etag      the ETag of the marker this lease last wrote; updates are conditional on it
 */
public record Lease(PredictionId id, String owner, Instant expiresAt, State state, int attempts, String etag) {
}
