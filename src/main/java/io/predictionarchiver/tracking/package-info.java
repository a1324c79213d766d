/**
 * The daemon's durable record of every id it accepted, kept as small JSON markers in the archive bucket itself
 * (no database): acceptance, leases, state moves, outcomes, a state index for listings and scans, and the
 * discovery watermark.
 *
 * <p><b>Entry point:</b> {@link io.predictionarchiver.tracking.TrackingStore}; its values
 * ({@link io.predictionarchiver.tracking.Acceptance}, {@link io.predictionarchiver.tracking.Lease},
 * {@link io.predictionarchiver.tracking.State}, {@link io.predictionarchiver.tracking.TrackedView},
 * {@link io.predictionarchiver.tracking.Page}, {@link io.predictionarchiver.tracking.Census}) and its one error,
 * {@link io.predictionarchiver.tracking.LeaseLostException}. Key layout, S3 requests and lease writes are
 * package-private.
 *
 * <p><b>Concurrency:</b> every method is lazy, non-blocking and safe to call at once from many daemons on one
 * bucket: each change is a conditional write ({@code If-None-Match: *} or {@code If-Match} on the ETag read), so
 * of two writers one wins and the other learns it. Updates of one lease must run one after another.
 *
 * <p><b>Errors:</b> a lost condition is an empty result or a {@code LeaseLostException} (the holder must stop
 * working on the id); S3 failures are {@link io.predictionarchiver.transfer.StorageException}s naming the id
 * and the key (the {@code storage} kind of failure); bad arguments an {@link IllegalArgumentException} saying which.
 */
package io.predictionarchiver.tracking;
