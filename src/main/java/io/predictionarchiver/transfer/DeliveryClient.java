package io.predictionarchiver.transfer;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.netty.channel.ChannelOption;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.http.BodilessAnswers;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.transfer.PrivateAddressGuard.RefusedAddressException;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Fetches delivery URLs, treating each one as hostile. Before every request, including each redirect hop
 * (followed manually, at most {@code archiver.download.max-redirects}), the URL must pass {@link DownloadPolicy};
 * at connect time {@link PrivateAddressGuard} refuses non-public addresses. No {@code Authorization},
 * {@code Proxy-Authorization} or {@code Cookie} header is ever sent, whatever the given builder adds.
 *
 * <p>Errors: 404/403/410 → {@link SourceGoneException}; other 4xx (but 408/429), a disallowed URL or redirect,
 * a non-public address, too many redirects, a {@code Content-Length} above {@code max-file-size} →
 * {@link SourceRejectedException}, without reading the body; 5xx, 408, 429, a 206 to a request for the whole
 * file, connection errors, timeouts and bodies that end early → {@link TransientTransferException}; a ranged
 * request answered other than with exactly its range → {@link RangesUnusableException}. {@link ArchiveException}s
 * raised by the handler pass
 * through unchanged.
 *
 * <p>Meant to be shared: one instance owns a connection pool and DNS resolvers, released by {@link #close()}.
 * Fetches run concurrently as subscribed; cancelling a fetch closes its connection, and so does an answer that
 * cannot have a body (1xx, 204, 304), whatever bytes follow it ({@link BodilessAnswers}).
 */
final class DeliveryClient implements AutoCloseable {

    private static final ExchangeFilterFunction WITHOUT_CREDENTIALS = (request, next) -> next.exchange(
            ClientRequest.from(request)
                    .headers(headers -> {
                        headers.remove(HttpHeaders.AUTHORIZATION);
                        headers.remove(HttpHeaders.PROXY_AUTHORIZATION);
                        headers.remove(HttpHeaders.COOKIE);
                    })
                    .cookies(MultiValueMap::clear)
                    .build());

    private final DownloadPolicy policy;
    private final PrivateAddressGuard resolver;
    private final ConnectionProvider connections;
    private final WebClient webClient;
    private final int maxRedirects;
    private final long maxFileSize;

    /**
     * @param builder a builder for extension points (filters that observe requests); it is cloned, and its
     *                connector is replaced by the guarded one
     */
    DeliveryClient(DownloadProperties properties, WebClient.Builder builder) {
        // own pool and resolver: a connection opened by another client was never checked by the guard
        // enough for every file's ranges at once, so that no request queues for a connection
        this.connections = ConnectionProvider.builder("archiver-delivery")
                .maxConnections(Math.max(16, properties.concurrency() * (properties.rangesPerFile() + 1)))
                .pendingAcquireMaxCount(-1)
                .build();
        this.resolver = PrivateAddressGuard.forHttpClients(properties.allowPrivateNetworks());
        HttpClient http = BodilessAnswers.closeConnectionAfter(HttpClient.create(connections)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                // Reactor Netty applies this between every read of a response, headers and body alike
                .responseTimeout(properties.idleTimeout())
                .followRedirect(false));
        this.webClient = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(http))
                .filter(WITHOUT_CREDENTIALS)
                .build();
        this.policy = new DownloadPolicy(properties);
        this.maxRedirects = properties.maxRedirects();
        this.maxFileSize = properties.maxFileSize().toBytes();
    }

    /** Closes the connection pool and the resolver; fetches in progress fail. */
    @Override
    public void close() {
        connections.dispose();
        resolver.close();
    }

    /**
     * GETs {@code url} and hands the 2xx response to {@code handler}, whose Mono must consume (or ignore) the
     * body; the connection is released when that Mono terminates or is cancelled, whatever the outcome.
     * Nothing is sent before the subscription.
     */
    <T> Mono<T> fetch(String url, Function<DeliveryResponse, Mono<T>> handler) {
        return Mono.defer(() -> hop(url, null, handler, 0));
    }

    /**
     * As {@link #fetch}, for bytes {@code range.first()} to {@code range.last()} of a file whose whole answer
     * named {@code validator}: the request carries {@code Range} and {@code If-Range}, and only a 206 whose
     * {@code Content-Range} is exactly the range asked for (of the same total) and whose validator, when sent,
     * is unchanged reaches the handler. Anything else 2xx fails with {@link RangesUnusableException}.
     */
    <T> Mono<T> fetchRange(String url, ByteRange range, Function<DeliveryResponse, Mono<T>> handler) {
        return Mono.defer(() -> hop(url, range, handler, 0));
    }

    /** Bytes {@code first} to {@code last}, inclusive, of a file of {@code total} bytes named by {@code validator}. */
    record ByteRange(long first, long last, long total, String validator) {

        long length() {
            return last - first + 1;
        }

        String contentRange() {
            return "bytes " + first + "-" + last + "/" + total;
        }
    }

    private <T> Mono<T> hop(String url, ByteRange range, Function<DeliveryResponse, Mono<T>> handler,
            int redirectsSoFar) {
        Optional<String> rejection = policy.rejection(url);
        if (rejection.isPresent()) {
            String reason = redirectsSoFar == 0 ? rejection.get() : "redirected to a refused URL: " + rejection.get();
            return Mono.error(new SourceRejectedException(null, url, reason));
        }
        return webClient.get()
                .uri(URI.create(url))
                .headers(headers -> {
                    if (range != null) {
                        headers.set(HttpHeaders.RANGE, "bytes=" + range.first() + "-" + range.last());
                        headers.set(HttpHeaders.IF_RANGE, range.validator());
                    }
                })
                .exchangeToMono(response -> answer(url, range, response, handler, redirectsSoFar))
                .onErrorMap(error -> !(error instanceof ArchiveException || error instanceof RangesUnusableException),
                        error -> classify(url, error))
                .flatMap(step -> step.redirect() == null
                        ? Mono.justOrEmpty(step.value())
                        : hop(step.redirect(), range, handler, redirectsSoFar + 1));
    }

    private <T> Mono<Step<T>> answer(String url, ByteRange range, ClientResponse response,
            Function<DeliveryResponse, Mono<T>> handler, int redirectsSoFar) {
        HttpStatusCode status = response.statusCode();
        if (status.is2xxSuccessful()) {
            Throwable unusable = range == null ? DeliveryAnswers.wholeFileError(url, response, maxFileSize)
                    : DeliveryAnswers.rangeError(url, range, response);
            if (unusable != null) {
                return refuse(response, unusable);
            }
            // as sent: the archive records what the host said, and a malformed value must not fail the transfer
            String contentType = DeliveryAnswers.firstValue(response, HttpHeaders.CONTENT_TYPE)
                    .orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            AtomicBoolean bodyRead = new AtomicBoolean();
            DeliveryResponse delivery = new DeliveryResponse(url, contentType,
                    DeliveryAnswers.firstValue(response, HttpHeaders.CONTENT_ENCODING).orElse(null),
                    response.headers().contentLength(), range == null ? DeliveryAnswers.rangeValidator(response) : range.validator(),
                    response.bodyToFlux(DataBuffer.class).doOnSubscribe(subscription -> bodyRead.set(true)));
            // a body the handler left unread is cancelled, where exchangeToMono would drain it (maybe gigabytes)
            Mono<Void> cancelUnread = Mono.defer(() -> bodyRead.get() ? Mono.empty() : cancelBody(response));
            return handler.apply(delivery)
                    .map(Step::done)
                    .flatMap(step -> cancelUnread.thenReturn(step))
                    .switchIfEmpty(Mono.defer(() -> cancelUnread.then(Mono.empty())))
                    .onErrorResume(error -> cancelUnread.then(Mono.error(error)));
        }
        if (status.is3xxRedirection()) {
            return cancelBody(response).then(Mono.defer(() -> redirect(url, response, redirectsSoFar)));
        }
        int code = status.value();
        if (code == 404 || code == 403 || code == 410) {
            return refuse(response, new SourceGoneException(null, url, "the delivery URL answered " + code
                    + "; the file has expired or was removed"));
        }
        if (status.is5xxServerError() || code == 408 || code == 429) {
            return refuse(response, new TransientTransferException(null, url, "the delivery host answered " + code, null));
        }
        return refuse(response, new SourceRejectedException(null, url, "the delivery host answered " + code));
    }

    private <T> Mono<Step<T>> redirect(String url, ClientResponse response, int redirectsSoFar) {
        Optional<String> location = response.headers().header(HttpHeaders.LOCATION).stream().findFirst();
        if (location.isEmpty()) {
            return Mono.error(new SourceRejectedException(null, url, "the delivery host answered "
                    + response.statusCode().value() + " without a Location"));
        }
        if (redirectsSoFar >= maxRedirects) {
            return Mono.error(new SourceRejectedException(null, url, "more than " + maxRedirects
                    + " redirects (archiver.download.max-redirects)"));
        }
        try {
            return Mono.just(Step.redirect(resolveLocation(url, location.get())));
        } catch (URISyntaxException e) {
            return Mono.error(new SourceRejectedException(null, url, "redirected to an invalid URL ("
                    + e.getReason() + ")"));
        }
    }

    /*
     * Cancels the body instead of draining it: an error answer may be endless, and cancelling makes Reactor
     * Netty close the connection rather than return it to the pool half-read.
     */
    private static Mono<Void> cancelBody(ClientResponse response) {
        return response.bodyToFlux(DataBuffer.class).take(0, false).then();
    }

    private static <T> Mono<T> refuse(ClientResponse response, Throwable error) {
        return cancelBody(response).then(Mono.error(error));
    }

    /* Resolves without normalising, so that DownloadPolicy sees dot segments exactly as the host sent them. */
    private static String resolveLocation(String from, String location) throws URISyntaxException {
        if (new URI(location).isAbsolute()) {
            return location;
        }
        URI base = new URI(from);
        if (location.startsWith("//")) {
            return base.getScheme() + ":" + location;
        }
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        if (location.startsWith("/")) {
            return origin + location;
        }
        if (location.startsWith("?")) {
            return origin + path + location;
        }
        return origin + path.substring(0, path.lastIndexOf('/') + 1) + location;
    }

    private static Throwable classify(String url, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedAddressException refused) {
                return new SourceRejectedException(null, url, refused.getMessage());
            }
        }
        if (error instanceof WebClientRequestException || error instanceof IOException
                || error instanceof TimeoutException || error instanceof io.netty.channel.ChannelException) {
            return new TransientTransferException(null, url, "fetching the delivery URL failed: " + describe(error), error);
        }
        return error;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** One hop's outcome: the handler's value, or the next URL to try. */
    private record Step<T>(T value, String redirect) {

        static <T> Step<T> done(T value) {
            return new Step<>(value, null);
        }

        static <T> Step<T> redirect(String url) {
            return new Step<>(null, url);
        }
    }
}
