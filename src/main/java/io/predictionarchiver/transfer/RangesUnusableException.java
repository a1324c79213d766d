package io.predictionarchiver.transfer;

/**
 * Ranges are not to be used for a file: its delivery host offered them but did not keep to them (a 200 to a
 * ranged request, a {@code Content-Range} other than the one asked for, or a changed validator: the file changed
 * between requests), or one stream delivered its first part faster than ranges are worth. Not a failure of the
 * file: the transfer falls back to one stream from the start.
 */
final class RangesUnusableException extends RuntimeException {

    RangesUnusableException(String url, String reason) {
        super(url + ": " + reason, null, false, false);
    }
}
