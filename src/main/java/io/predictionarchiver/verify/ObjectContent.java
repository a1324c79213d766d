package io.predictionarchiver.verify;

/**
 * What reading one object back from S3 found.
 *
 * @param bytes  bytes streamed
 * @param sha256 lower-case hex sha256 of those bytes
 */
record ObjectContent(long bytes, String sha256) {
}
