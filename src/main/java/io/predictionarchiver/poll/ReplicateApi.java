package io.predictionarchiver.poll;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutException;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.http.BodilessAnswers;
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.prediction.WallTime;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The Replicate-compatible prediction API over one {@link WebClient}. Everything every call needs (the rate
 * budget, the bearer token, a log line with the token kept out) is one {@link ExchangeFilterFunction} chain,
 * which reads of one prediction and pages of the list endpoint share.
 *
 * <p>One {@link #fetch} or {@link #page} is one attempt: 401/403 fail with {@link ApiAuthenticationException},
 * 404 with {@link PredictionNotFoundException} (a list page: 404 and 405 with
 * {@link ListEndpointUnavailableException}), other 4xx with {@link ApiUnavailableException}; 408, 429, 5xx,
 * connection errors, timeouts and 200 bodies that are not what was asked for fail with
 * {@link RetryableApiException} for {@link ApiRetry} to handle. Bodies are released by {@code exchangeToMono}.
 * A page URL outside the base URL's origin is refused before any request, so the token reaches no other host.
 */
final class ReplicateApi implements PredictionFetcher, PredictionLister {

    private static final Logger log = LoggerFactory.getLogger(ReplicateApi.class);

    /** Prediction bodies carry the model's logs, which reach hundreds of KB. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int MAX_CONNECTIONS = 64;
    /** Below the idle timeouts of common proxies, so that a pooled connection is not dead on reuse. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(20);

    private final WebClient client;
    private final ApiProvider provider;
    private final URI baseUrl;
    private final ApiOrigin origin;
    private final String predictionPath;
    private final String listPath;
    private final ApiToken token;
    private final Duration requestTimeout;
    private final Duration maxRetryAfter;
    private final Scheduler scheduler;

    ReplicateApi(ApiProperties properties, WebClient.Builder builder, RateBudget budget, Scheduler scheduler) {
        this.provider = properties.provider();
        this.baseUrl = properties.baseUrl();
        this.origin = ApiOrigin.of(baseUrl);
        this.predictionPath = properties.predictionPath();
        this.listPath = properties.listPath();
        this.token = new ApiToken(properties.token());
        this.requestTimeout = properties.requestTimeout();
        this.maxRetryAfter = properties.maxRetryAfter();
        this.scheduler = scheduler;
        this.client = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient(requestTimeout)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
                .filter(rateLimited(budget).andThen(authorized(token)).andThen(logged()))
                .build();
    }

    @Override
    public Mono<Prediction> fetch(PredictionId id) {
        URI url = URI.create(trimmedBaseUrl() + predictionPath.replace("{id}", id.value()));
        return exchange(Call.prediction(id), url, body -> ResponseBodyReader.prediction(body, id),
                status -> status == 404 ? new PredictionNotFoundException(id, url) : null);
    }

    @Override
    public String firstPage(Instant createdAfter, Instant createdBefore) {
        if (listPath == null) {
            throw ListEndpointUnavailableException.notServed(provider);
        }
        StringBuilder url = new StringBuilder(trimmedBaseUrl()).append(listPath);
        char separator = listPath.contains("?") ? '&' : '?';
        if (createdAfter != null) {
            url.append(separator).append("created_after=").append(createdAfter);
            separator = '&';
        }
        if (createdBefore != null) {
            url.append(separator).append("created_before=").append(createdBefore);
        }
        return url.toString();
    }

    @Override
    public Mono<ListPage> page(String url) {
        return Mono.defer(() -> {
            URI pageUrl = trustedPageUrl(url);
            return exchange(Call.LISTING, pageUrl, ResponseBodyReader::listPage,
                    status -> status == 404 || status == 405
                            ? ListEndpointUnavailableException.answered(provider, pageUrl, status, listPath)
                            : null);
        });
    }

    /** {@code url} resolved against the base URL; refused unless it is on the base URL's origin. */
    private URI trustedPageUrl(String url) {
        URI resolved;
        try {
            resolved = baseUrl.resolve(url);
        } catch (IllegalArgumentException notAUrl) {
            throw new ApiUnavailableException(null, "listing predictions: the next page URL '" + token.redact(url)
                    + "' the API sent is not a URL; listing stopped", null);
        }
        if (!origin.matches(resolved)) {
            throw new ApiUnavailableException(null, "listing predictions: refused to follow the next page URL "
                    + token.redact(resolved.toString()) + " the API sent, because it is not on archiver.api.base-url"
                    + " (" + origin + ") and the API token is sent nowhere else; listing stopped", null);
        }
        return resolved;
    }

    private String trimmedBaseUrl() {
        String base = baseUrl.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /**
     * One GET: a 2xx body goes to {@code reader}, whose {@link IllegalArgumentException} makes the attempt
     * retryable; {@code refusal} names the statuses of this kind of call that end it for good (null for the
     * others); authentication and the statuses every call shares are handled here.
     */
    private <T> Mono<T> exchange(Call call, URI url, Function<byte[], T> reader,
            IntFunction<ArchiveException> refusal) {
        return client.get()
                .uri(url)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> {
                    int status = response.statusCode().value();
                    if (response.statusCode().is2xxSuccessful()) {
                        return body(response).map(body -> parse(call, url, status, reader, body));
                    }
                    ArchiveException refused = status == 401 || status == 403
                            ? unauthenticated(call, status)
                            : refusal.apply(status);
                    if (refused != null) {
                        return response.releaseBody().then(Mono.error(refused));
                    }
                    return body(response).flatMap(body -> Mono.error(failure(call, url, response, status, body)));
                })
                .onErrorMap(failure -> !(failure instanceof ArchiveException), failure -> retryable(call, url,
                        "no usable response (" + describe(failure) + ")", null, false, failure));
    }

    private ApiAuthenticationException unauthenticated(Call call, int status) {
        return call.id() == null
                ? new ApiAuthenticationException(baseUrl, status, token.configured())
                : new ApiAuthenticationException(call.id(), baseUrl, status, token.configured());
    }

    /** The innermost cause says what went wrong; the wrappers around it only repeat the URL. */
    private String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ReadTimeoutException || root instanceof TimeoutException) {
            return "no answer within archiver.api.request-timeout (" + requestTimeout + ")";
        }
        return root.getMessage() == null ? root.getClass().getName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]);
    }

    private <T> T parse(Call call, URI url, int status, Function<byte[], T> reader, byte[] body) {
        try {
            return reader.apply(body);
        } catch (IllegalArgumentException unusable) {
            throw retryable(call, url, "HTTP " + status + " but " + unusable.getMessage(), null, false, null);
        }
    }

    private ArchiveException failure(Call call, URI url, ClientResponse response, int status, byte[] body) {
        String answer = "HTTP " + status + ": " + ResponseBodyReader.excerpt(body);
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = capped(RetryAfter.from(response.headers().asHttpHeaders(), now()));
            return retryable(call, url, answer, retryAfter, status == 429, null);
        }
        return new ApiUnavailableException(call.id(), call.subject() + ": " + url + " answered "
                + token.redact(answer) + ", which retrying cannot fix; check archiver.api.base-url and "
                + call.pathProperty(), null);
    }

    /** One answer from a proxy asking for hours must not outlast the files: {@code archiver.api.max-retry-after}. */
    private Duration capped(Duration retryAfter) {
        if (retryAfter == null || retryAfter.compareTo(maxRetryAfter) <= 0) {
            return retryAfter;
        }
        log.debug("Retry-After of {} is longer than archiver.api.max-retry-after; waiting {}", retryAfter,
                maxRetryAfter);
        return maxRetryAfter;
    }

    private RetryableApiException retryable(Call call, URI url, String what, Duration retryAfter,
            boolean throttled, Throwable cause) {
        return new RetryableApiException(call.id(), call.subject() + ": " + token.redact(what) + " from " + url,
                retryAfter, throttled, cause);
    }

    /** What a request is for, as failures name it: one prediction, or the list endpoint. */
    private record Call(PredictionId id, String subject, String pathProperty) {

        static final Call LISTING = new Call(null, "listing predictions", "archiver.api.list-path");

        static Call prediction(PredictionId id) {
            return new Call(id, "prediction " + id, "archiver.api.prediction-path");
        }
    }

    private Instant now() {
        return WallTime.of(scheduler);
    }

    private static HttpClient httpClient(Duration requestTimeout) {
        ConnectionProvider pool = ConnectionProvider.builder("prediction-api")
                .maxConnections(MAX_CONNECTIONS)
                // the rate budget and the poll concurrency already bound how many calls can wait here
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(MAX_IDLE)
                .build();
        return BodilessAnswers.closeConnectionAfter(HttpClient.create(pool)
                .responseTimeout(requestTimeout)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(requestTimeout.toMillis(), Integer.MAX_VALUE)));
    }

    private static ExchangeFilterFunction rateLimited(RateBudget budget) {
        return (request, next) -> budget.acquire().then(Mono.defer(() -> next.exchange(request)));
    }

    private static ExchangeFilterFunction authorized(ApiToken token) {
        return (request, next) -> next.exchange(ClientRequest.from(request)
                .headers(token::authorize)
                .build());
    }

    /** Method, URL and status only: headers would carry the token. */
    private static ExchangeFilterFunction logged() {
        return (request, next) -> next.exchange(request)
                .doOnNext(response -> log.debug("{} {} -> {}", request.method(), request.url(),
                        response.statusCode().value()));
    }
}
