package io.predictionarchiver.transfer;

import java.util.OptionalLong;

import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;

/**
 * A successful answer from a delivery host, valid only inside the handler given to {@link DeliveryClient#fetch}
 * or {@link DeliveryClient#fetchRange}.
 *
 * @param finalUrl        the URL that answered, after redirects
 * @param contentType     the {@code Content-Type} sent, or {@code application/octet-stream} when none was
 * @param contentEncoding the {@code Content-Encoding} sent, or null
 * @param contentLength   the {@code Content-Length} sent, when one was (never above the configured maximum)
 * @param rangeValidator  for a whole file served with {@code Accept-Ranges: bytes}, the validator a ranged
 *                        request can name in {@code If-Range} (a strong {@code ETag}, else
 *                        {@code Last-Modified}); null when the host offers no ranges or no validator
 * @param body            the body, subscribable once; each emitted buffer must be released by its subscriber
 */
record DeliveryResponse(String finalUrl, String contentType, String contentEncoding, OptionalLong contentLength,
        String rangeValidator, Flux<DataBuffer> body) {
}
