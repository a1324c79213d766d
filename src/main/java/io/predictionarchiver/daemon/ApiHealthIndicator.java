package io.predictionarchiver.daemon;

import java.net.URI;
import java.time.Duration;

import io.predictionarchiver.config.ApiProperties;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

/**
 * Health of the prediction API: whether {@code archiver.api.base-url} answers and accepts the token. It is part of
 * the overall health, not of readiness: a pod whose API is down still accepts work, durably, to archive later.
 *
 * <p>The probe reads a prediction that cannot exist ({@value #PROBE_ID}) with the token: 404 (or any 2xx)
 * means reachable and token accepted, 429 reachable but throttling (UP: the poller waits it out), 401/403 the
 * token is wrong or missing (DOWN), 5xx or no answer within {@value #TIMEOUT_SECONDS} seconds DOWN. The probe
 * bypasses the poller's rate budget, so that a busy daemon never waits for a permit to answer a health check,
 * and its answer is cached for {@value #CACHE_SECONDS} seconds, so that probing costs the account at most two
 * requests a minute however often the health endpoint is asked. The component therefore follows the API with up to
 * that delay. The token goes into the request header only, never into a detail.
 */
final class ApiHealthIndicator implements ReactiveHealthIndicator {

    static final String PROBE_ID = "archiver-health-probe";
    static final long CACHE_SECONDS = 30;
    static final long TIMEOUT_SECONDS = 10;

    private final URI baseUrl;
    private final Mono<Health> cachedProbe;

    ApiHealthIndicator(ApiProperties api, Scheduler scheduler) {
        this.baseUrl = api.baseUrl();
        String base = api.baseUrl().toString();
        URI probeUrl = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + api.predictionPath().replace("{id}", PROBE_ID));
        Duration timeout = Duration.ofSeconds(TIMEOUT_SECONDS);
        WebClient client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(timeout)))
                .build();
        Duration cached = Duration.ofSeconds(CACHE_SECONDS);
        this.cachedProbe = Mono.defer(() -> probe(client, probeUrl, api.token()))
                .timeout(timeout, scheduler)
                .onErrorResume(error -> Mono.just(down("no answer from the API: " + describe(error))))
                .cache(health -> cached, error -> Duration.ZERO, () -> Duration.ZERO, scheduler);
    }

    @Override
    public Mono<Health> health() {
        return cachedProbe;
    }

    private Mono<Health> probe(WebClient client, URI url, String token) {
        return client.get()
                .uri(url)
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (token != null && !token.isBlank()) {
                        headers.setBearerAuth(token);
                    }
                })
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(verdict(response.statusCode().value(), token != null && !token.isBlank())));
    }

    private Health verdict(int status, boolean tokenConfigured) {
        if (status == 401 || status == 403) {
            return down((tokenConfigured ? "the API rejected the token" : "no API token is configured")
                    + " (HTTP " + status + "): set a valid archiver.api.token or REPLICATE_API_TOKEN");
        }
        if (status >= 500) {
            return down("the API answered HTTP " + status);
        }
        Health.Builder up = Health.up().withDetail("base_url", baseUrl.toString());
        return (status == 429 ? up.withDetail("throttled", true) : up).build();
    }

    private Health down(String reason) {
        return Health.down().withDetail("base_url", baseUrl.toString()).withDetail("reason", reason).build();
    }

    /** The innermost cause names what failed (connection refused, timeout); wrappers only repeat the URL. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
