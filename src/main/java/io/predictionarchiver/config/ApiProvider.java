package io.predictionarchiver.config;

import java.net.URI;

/** The API presets of {@code archiver.api.provider}. */
public enum ApiProvider {
    REPLICATE("https://api.replicate.com", "/v1/predictions/{id}", "/v1/predictions", true),
    COMETAPI("https://api.cometapi.com", "/replicate/v1/predictions/{id}", "/replicate/v1/predictions", false),
    DEERAPI("https://api.deerapi.com", "/replicate/v1/predictions/{id}", "/replicate/v1/predictions", false);

    private final URI baseUrl;
    private final String predictionPath;
    private final String listPath;
    private final boolean listEndpoint;

    ApiProvider(String baseUrl, String predictionPath, String listPath, boolean listEndpoint) {
        this.baseUrl = URI.create(baseUrl);
        this.predictionPath = predictionPath;
        this.listPath = listPath;
        this.listEndpoint = listEndpoint;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public String predictionPath() {
        return predictionPath;
    }

    /**
     * Where the list endpoint is, or would be: the default of {@code archiver.api.list-path} when
     * {@link #hasListEndpoint()}, otherwise the value to suggest should the provider turn out to serve it.
     */
    public String listPath() {
        return listPath;
    }

    /** Whether the provider is known to serve {@code GET {listPath}} (the list endpoint, newest first). */
    public boolean hasListEndpoint() {
        return listEndpoint;
    }
}
