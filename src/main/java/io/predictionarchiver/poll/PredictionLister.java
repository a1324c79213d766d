package io.predictionarchiver.poll;

import java.time.Instant;

import reactor.core.publisher.Mono;

/** The list endpoint, one page and one attempt at a time; the seam between paging and HTTP. */
interface PredictionLister {

    /**
     * The URL of the first page of predictions created after {@code createdAfter} and before
     * {@code createdBefore} (either {@code null} for an open end).
     *
     * @throws ListEndpointUnavailableException when no list endpoint is configured
     */
    String firstPage(Instant createdAfter, Instant createdBefore);

    /**
     * Reads the page at {@code url}, lazily on subscription. Fails with {@link RetryableApiException} when
     * another attempt may succeed, with another {@code ArchiveException} when it cannot, among them a URL
     * outside the API's origin, which is refused without a request.
     */
    Mono<ListPage> page(String url);
}
