package io.predictionarchiver.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.api.*}: where predictions are read from and how fast. The effective base URL and path are
 * the preset's unless overridden; validation happens here so that start-up fails with the property's name.
 *
 * @param provider          preset ({@code replicate}, {@code cometapi}, {@code deerapi})
 * @param baseUrl           overrides the preset's base URL
 * @param predictionPath    overrides the preset's path; must contain {@code {id}}
 * @param listPath          path of the list endpoint ({@code GET}, newest first) that backfill pages; the
 *                          preset's when the provider is known to serve one ({@code /v1/predictions} for
 *                          {@code replicate}), otherwise {@code null} (no list endpoint) unless set explicitly
 * @param token             bearer token; never logged
 * @param requestsPerMinute one budget shared by every API call (polls, lists, retries)
 * @param burst             calls that may go out back to back before the budget paces them
 * @param requestTimeout    time allowed for one API response
 * @param maxRetryAfter     longest {@code Retry-After} honoured; a server (or a proxy in front of it) asking for more
 *                          is retried after this long instead, since one bad answer must not outlast the files'
 *                          one-hour life
 */
@ConfigurationProperties("archiver.api")
public record ApiProperties(
        @DefaultValue("replicate") ApiProvider provider,
        URI baseUrl,
        String predictionPath,
        String listPath,
        String token,
        @DefaultValue("2400") int requestsPerMinute,
        @DefaultValue("20") int burst,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("20s") Duration maxRetryAfter) {

    static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(20);

    @ConstructorBinding
    public ApiProperties {
        if (provider == null) {
            provider = ApiProvider.REPLICATE;
        }
        if (baseUrl == null) {
            baseUrl = provider.baseUrl();
        } else if (!isHttpWithHost(baseUrl)) {
            throw new IllegalArgumentException(
                    "archiver.api.base-url must be an http or https URL with a host, but was '" + baseUrl + "'");
        }
        if (predictionPath == null || predictionPath.isBlank()) {
            predictionPath = provider.predictionPath();
        } else if (!predictionPath.contains("{id}")) {
            throw new IllegalArgumentException(
                    "archiver.api.prediction-path must contain {id}, but was '" + predictionPath + "'");
        }
        if (listPath == null || listPath.isBlank()) {
            listPath = provider.hasListEndpoint() ? provider.listPath() : null;
        } else if (listPath.contains("{id}")) {
            throw new IllegalArgumentException("archiver.api.list-path is the list endpoint and must not contain "
                    + "{id}, but was '" + listPath + "'");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        Positive.require("archiver.api.requests-per-minute", requestsPerMinute);
        Positive.require("archiver.api.burst", burst);
        Positive.require("archiver.api.request-timeout", requestTimeout);
        if (maxRetryAfter == null) {
            maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        }
        Positive.require("archiver.api.max-retry-after", maxRetryAfter);
    }

    /** These settings with {@code archiver.api.max-retry-after} at its default (20 s). */
    public ApiProperties(ApiProvider provider, URI baseUrl, String predictionPath, String listPath, String token,
            int requestsPerMinute, int burst, Duration requestTimeout) {
        this(provider, baseUrl, predictionPath, listPath, token, requestsPerMinute, burst, requestTimeout,
                DEFAULT_MAX_RETRY_AFTER);
    }

    /** A typo such as {@code https:/api.example.com} parses as a URI without a host; catch it at start-up. */
    private static boolean isHttpWithHost(URI url) {
        return ("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))
                && url.getHost() != null;
    }

    /** Keeps the token out of every {@code toString()}, and so out of logs and failure analyses. */
    @Override
    public String toString() {
        return "ApiProperties[provider=" + provider + ", baseUrl=" + baseUrl + ", predictionPath=" + predictionPath
                + ", listPath=" + (listPath == null ? "none" : listPath) + ", token=" + (token == null ? "none" : "***")
                + ", requestsPerMinute=" + requestsPerMinute + ", burst=" + burst + ", requestTimeout=" + requestTimeout
                + ", maxRetryAfter=" + maxRetryAfter + "]";
    }
}
