package io.predictionarchiver.poll;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.predictionarchiver.prediction.ArchiveException;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The Replicate-compatible prediction API over one {@link WebClient}. Everything every call needs (the rate
 * budget, the bearer token, a log line with the token kept out) is one {@link ExchangeFilterFunction} chain,
 * so a future call such as the list endpoint gets it by using the same client.
 *
 * <p>One {@link #fetch} is one attempt: 401/403 fail with {@link ApiAuthenticationException}, 404 with
 * {@link PredictionNotFoundException}, other 4xx with {@link ApiUnavailableException}; 408, 429, 5xx,
 * connection errors, timeouts and 200 bodies that are not the prediction fail with
 * {@link RetryableApiException} for {@link ApiRetry} to handle. Bodies are released by {@code exchangeToMono}.
 */
final class ReplicateApi implements PredictionFetcher {

    private static final Logger log = LoggerFactory.getLogger(ReplicateApi.class);

    /** Prediction bodies carry the model's logs, which reach hundreds of KB. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int MAX_CONNECTIONS = 64;
    /** Below the idle timeouts of common proxies, so that a pooled connection is not dead on reuse. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(20);

    private final WebClient client;
    private final URI baseUrl;
    private final String predictionPath;
    private final ApiToken token;
    private final Duration requestTimeout;
    private final Scheduler scheduler;

    ReplicateApi(ApiProperties properties, WebClient.Builder builder, RateBudget budget, Scheduler scheduler) {
        this.baseUrl = properties.baseUrl();
        this.predictionPath = properties.predictionPath();
        this.token = new ApiToken(properties.token());
        this.requestTimeout = properties.requestTimeout();
        this.scheduler = scheduler;
        this.client = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(httpClient(requestTimeout)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
                .filter(rateLimited(budget).andThen(authorized(token)).andThen(logged()))
                .build();
    }

    @Override
    public Mono<Prediction> fetch(PredictionId id) {
        URI url = predictionUrl(id);
        return client.get()
                .uri(url)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> read(id, url, response))
                .onErrorMap(failure -> !(failure instanceof ArchiveException), failure -> retryable(id, url,
                        "no usable response (" + describe(failure) + ")", null, false, failure));
    }

    private URI predictionUrl(PredictionId id) {
        String base = baseUrl.toString();
        String trimmedBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(trimmedBase + predictionPath.replace("{id}", id.value()));
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

    private Mono<Prediction> read(PredictionId id, URI url, ClientResponse response) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return body(response).map(body -> parse(id, url, status, body));
        }
        if (status == 401 || status == 403) {
            return response.releaseBody()
                    .then(Mono.error(new ApiAuthenticationException(id, baseUrl, status, token.configured())));
        }
        if (status == 404) {
            return response.releaseBody().then(Mono.error(new PredictionNotFoundException(id, url)));
        }
        return body(response).flatMap(body -> Mono.error(failure(id, url, response, status, body)));
    }

    private static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]);
    }

    private Prediction parse(PredictionId id, URI url, int status, byte[] body) {
        try {
            return ResponseBodyReader.prediction(body, id);
        } catch (IllegalArgumentException unusable) {
            throw retryable(id, url, "HTTP " + status + " but " + unusable.getMessage(), null, false, null);
        }
    }

    private ArchiveException failure(PredictionId id, URI url, ClientResponse response, int status, byte[] body) {
        String answer = "HTTP " + status + ": " + ResponseBodyReader.excerpt(body);
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = RetryAfter.from(response.headers().asHttpHeaders(), now());
            return retryable(id, url, answer, retryAfter, status == 429, null);
        }
        return new ApiUnavailableException(id, "prediction " + id + ": " + url + " answered "
                + token.redact(answer) + ", which retrying cannot fix; check archiver.api.base-url and "
                + "archiver.api.prediction-path", null);
    }

    private RetryableApiException retryable(PredictionId id, URI url, String what, Duration retryAfter,
            boolean throttled, Throwable cause) {
        return new RetryableApiException(id, "prediction " + id + ": " + token.redact(what) + " from " + url,
                retryAfter, throttled, cause);
    }

    private Instant now() {
        return Instant.EPOCH.plusNanos(scheduler.now(TimeUnit.NANOSECONDS));
    }

    private static HttpClient httpClient(Duration requestTimeout) {
        ConnectionProvider pool = ConnectionProvider.builder("prediction-api")
                .maxConnections(MAX_CONNECTIONS)
                // the rate budget and the poll concurrency already bound how many calls can wait here
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(MAX_IDLE)
                .build();
        return HttpClient.create(pool)
                .responseTimeout(requestTimeout)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(requestTimeout.toMillis(), Integer.MAX_VALUE));
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
