/**
 * The values every stage shares: a {@link io.predictionarchiver.prediction.Prediction} as the API returned it,
 * its validated {@link io.predictionarchiver.prediction.PredictionId}, the root of the archiver's error signals,
 * {@link io.predictionarchiver.prediction.ArchiveException}, with the
 * {@link io.predictionarchiver.prediction.FailureKind} each names (and its retry rule), and
 * {@link io.predictionarchiver.prediction.WallTime}, a scheduler's time comparable with the API's timestamps.
 *
 * <p>Concurrency: immutable values, safe to share across threads.
 *
 * <p>Errors: an id outside 1 to 64 characters of {@code [A-Za-z0-9_-]} is refused by
 * {@code InvalidPredictionIdException} naming it; every {@code ArchiveException} carries the id it concerns,
 * when known, and its message never holds a secret.
 */
package io.predictionarchiver.prediction;
