/**
 * The archiving pipeline: one flux from ids to outcomes through the stages, plan (manifest) → await (poll) →
 * nearest expiry first → transfer → commit (manifest). {@code archive}, the daemon and the queue consumer all
 * call it; it does no I/O of its own.
 *
 * <p>Entry point: {@link io.predictionarchiver.pipeline.ArchivePipeline}, with its values
 * {@link io.predictionarchiver.pipeline.ArchiveOutcome} and {@link io.predictionarchiver.pipeline.RunOptions},
 * and one extension point, {@link io.predictionarchiver.pipeline.StageListener}, which hears (and may hold) each
 * id as it moves on.
 *
 * <p>Concurrency: up to {@code archiver.poll.concurrency} ids are planned and awaited at once, and up to
 * {@code archiver.download.concurrency} predictions transferred, those nearest expiry first; no thread waits.
 *
 * <p>Errors: a failure of one id is that id's {@code FAILED} outcome, classified by the
 * {@link io.predictionarchiver.prediction.FailureKind} its error's type names; only an error that ends the run (a
 * rejected API token) or an {@link Error} fails the flux.
 */
package io.predictionarchiver.pipeline;
