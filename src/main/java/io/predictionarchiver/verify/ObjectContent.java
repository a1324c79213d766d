package io.predictionarchiver.verify;

/**
 * What reading one object back from S3 found.
 *
 * @param bytes          bytes streamed
 * @param sha256         lower-case hex sha256 of those bytes
 * @param metadataSha256 the object's {@code sha256} user metadata, {@code null} when absent
 */
record ObjectContent(long bytes, String sha256, String metadataSha256) {
}
