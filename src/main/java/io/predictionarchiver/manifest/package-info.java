/**
 * The manifest stage: {@code {prefix}{id}/prediction.json} (schema_version 1), whose presence means a
 * prediction is archived. It plans each id from its stored manifest and the run's options
 * ({@link io.predictionarchiver.manifest.ArchivePlan}: skip, dry run, create, improve), and commits the plan once
 * the files are stored, replacing a stored manifest only with one that stores more files.
 *
 * <p>Entry point: {@link io.predictionarchiver.manifest.ManifestStore}; its values are
 * {@link io.predictionarchiver.manifest.ArchivePlan}, {@link io.predictionarchiver.manifest.ManifestCommit},
 * {@link io.predictionarchiver.manifest.StoredManifest} and {@link io.predictionarchiver.manifest.ArchiveState}.
 *
 * <p>Concurrency: every call is lazy, non-blocking and safe to make concurrently; conditional writes
 * ({@code If-None-Match: *}, {@code If-Match}) let one of several archivers of an id write, and the others see
 * {@code EXISTED}, not an error.
 *
 * <p>Errors: a failed S3 call is an {@link io.predictionarchiver.prediction.ArchiveException} naming the id and
 * the key, with the S3 error as cause; a missing manifest is an answer (absent), not an error, except to
 * {@code read}.
 */
package io.predictionarchiver.manifest;
