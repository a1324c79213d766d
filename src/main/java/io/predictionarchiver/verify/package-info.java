/**
 * The {@code verify} command's check: reads archives back from S3 and checks every stored file against its
 * manifest (exists, size, sha256), streaming, never holding an object whole.
 *
 * <p>Entry point: {@link io.predictionarchiver.verify.ArchiveVerifier}, with its value {@code VerifyFinding}.
 *
 * <p>Concurrency: at most the given number of predictions at once, the files of one prediction one after
 * another; cancelling cancels the reads in flight.
 *
 * <p>Errors: problems with an archive (a missing or invalid manifest, a missing object, a wrong size or digest,
 * an S3 error on one object) are findings, not errors; only listing the archives or checking the bucket signals
 * an error, an {@code ArchiveException} naming the bucket and prefix.
 */
package io.predictionarchiver.verify;
