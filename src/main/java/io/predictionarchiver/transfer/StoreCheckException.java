package io.predictionarchiver.transfer;

/**
 * The bucket's store cannot be written safely: it ignores conditional writes, or the check itself was refused.
 * A configuration error of the whole run, not of one prediction: {@code archive} exits 2 before any work.
 */
public final class StoreCheckException extends RuntimeException {

    public StoreCheckException(String message, Throwable cause) {
        super(message, cause);
    }
}
