package io.predictionarchiver.transfer;

/**
 * An object written whole under its final key.
 *
 * @param key         the S3 key
 * @param bytes       the body length
 * @param sha256Hex   the SHA-256 of the body, lower-case hex (recorded in the manifest)
 * @param contentType the stored {@code Content-Type}
 */
record StoredObject(String key, long bytes, String sha256Hex, String contentType) {
}
