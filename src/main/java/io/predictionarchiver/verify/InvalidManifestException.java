package io.predictionarchiver.verify;

/** A manifest exists but does not follow schema_version 1 well enough to be checked; the message says where. */
final class InvalidManifestException extends RuntimeException {

    InvalidManifestException(String message) {
        super(message);
    }
}
