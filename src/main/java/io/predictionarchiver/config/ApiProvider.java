package io.predictionarchiver.config;

import java.net.URI;

/** The API presets of {@code archiver.api.provider}. */
public enum ApiProvider {
    REPLICATE("https://api.replicate.com", "/v1/predictions/{id}", true),
    COMETAPI("https://api.cometapi.com", "/replicate/v1/predictions/{id}", false),
    DEERAPI("https://api.deerapi.com", "/replicate/v1/predictions/{id}", false);

    private final URI baseUrl;
    private final String predictionPath;
    private final boolean listEndpoint;

    ApiProvider(String baseUrl, String predictionPath, boolean listEndpoint) {
        this.baseUrl = URI.create(baseUrl);
        this.predictionPath = predictionPath;
        this.listEndpoint = listEndpoint;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public String predictionPath() {
        return predictionPath;
    }

    /** Whether the provider is known to serve {@code GET /v1/predictions} (the list endpoint). */
    public boolean hasListEndpoint() {
        return listEndpoint;
    }
}
