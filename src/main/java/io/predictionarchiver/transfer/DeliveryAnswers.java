package io.predictionarchiver.transfer;

import java.util.Optional;
import java.util.OptionalLong;

import io.predictionarchiver.transfer.DeliveryClient.ByteRange;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What a delivery host's 2xx answer must be before its body is read: a whole file for a plain request, exactly
 * the range asked for for a ranged one, and the validator a later ranged request may name. Pure checks of the
 * headers; the errors they return are thrown by {@link DeliveryClient}.
 */
final class DeliveryAnswers {

    private DeliveryAnswers() {
    }

    /* A whole file must come whole: a 206 is part of something, and a length above the limit is refused unread. */
    static Throwable wholeFileError(String url, ClientResponse response, long maxFileSize) {
        if (response.statusCode().value() == 206) {
            return new TransientTransferException(null, url, "the delivery host answered 206 (Partial Content) to a"
                    + " request for the whole file", null);
        }
        OptionalLong length = response.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > maxFileSize) {
            return new SourceRejectedException(null, url, "Content-Length " + length.getAsLong()
                    + " is above archiver.download.max-file-size (" + maxFileSize + " bytes)");
        }
        return null;
    }

    static RangesUnusableException rangeError(String url, ByteRange range, ClientResponse response) {
        if (response.statusCode().value() != 206) {
            return new RangesUnusableException(url, "answered " + response.statusCode().value() + " to a request for "
                    + range.contentRange() + " (the host ignores Range, or the file changed)");
        }
        String contentRange = firstValue(response, HttpHeaders.CONTENT_RANGE).orElse("");
        if (!contentRange.equals(range.contentRange())) {
            return new RangesUnusableException(url, "answered Content-Range '" + contentRange + "' to a request for "
                    + range.contentRange());
        }
        Optional<String> etag = firstValue(response, HttpHeaders.ETAG);
        if (range.validator().startsWith("\"") && etag.isPresent() && !etag.get().equals(range.validator())) {
            return new RangesUnusableException(url, "the ETag changed from " + range.validator() + " to "
                    + etag.get() + " between ranges");
        }
        OptionalLong length = response.headers().contentLength();
        if (length.isPresent() && length.getAsLong() != range.length()) {
            return new RangesUnusableException(url, "answered Content-Length " + length.getAsLong() + " for "
                    + range.contentRange());
        }
        return null;
    }

    /*
     * RFC 9110 allows only a strong validator in If-Range: an ETag not marked weak (W/), else a Last-Modified
     * date.
     */
    static String rangeValidator(ClientResponse response) {
        boolean bytesRanges = response.headers().header(HttpHeaders.ACCEPT_RANGES).stream()
                .anyMatch(value -> value.trim().equalsIgnoreCase("bytes"));
        if (!bytesRanges || response.statusCode().value() != 200) {
            return null;
        }
        return firstValue(response, HttpHeaders.ETAG).filter(etag -> etag.startsWith("\""))
                .or(() -> firstValue(response, HttpHeaders.LAST_MODIFIED))
                .orElse(null);
    }

    static Optional<String> firstValue(ClientResponse response, String header) {
        return response.headers().header(header).stream().filter(value -> !value.isBlank()).findFirst();
    }
}
