package io.predictionarchiver.transfer;

import java.util.OptionalLong;

import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;

/**
 * A successful (2xx) answer from a delivery host, valid only inside the handler given to
 * {@link DeliveryClient#fetch}.
 *
 * @param finalUrl      the URL that answered, after redirects
 * @param contentType   the {@code Content-Type} sent, or {@code application/octet-stream} when none was
 * @param contentLength the {@code Content-Length} sent, when one was (never above the configured maximum)
 * @param body          the body, subscribable once; each emitted buffer must be released by its subscriber
 */
record DeliveryResponse(String finalUrl, String contentType, OptionalLong contentLength, Flux<DataBuffer> body) {
}
