package io.predictionarchiver.tracking;

import java.time.Instant;

import io.predictionarchiver.prediction.PredictionId;

/**
 * An active id that a daemon may claim, as {@link TrackingStore#claimable} found it.
 *
 * @param id             the id
 * @param state          its active state
 * @param attempts       claims so far
 * @param leaseOwner     the owner of the (expired or own) lease, {@code null} when none
 * @param leaseExpiresAt when that lease expires(d), {@code null} when none
 */
public record TrackedId(PredictionId id, State state, int attempts, String leaseOwner, Instant leaseExpiresAt) {
}
