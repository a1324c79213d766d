package io.predictionarchiver.transfer;

/**
 * A delivery host offered ranges but did not keep to them: a 200 to a ranged request, a {@code Content-Range}
 * other than the one asked for, or a changed validator (the file changed between requests). Not a failure of
 * the file: the transfer falls back to one stream from the start.
 */
final class RangesUnusableException extends RuntimeException {

    RangesUnusableException(String url, String reason) {
        super(url + ": " + reason, null, false, false);
    }
}
