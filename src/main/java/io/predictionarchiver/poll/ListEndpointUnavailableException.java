package io.predictionarchiver.poll;

import java.net.URI;
import java.util.Locale;

import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.prediction.ArchiveException;

/**
 * Backfill needs the list endpoint and the configured API does not serve it: the provider is not known to
 * ({@link ApiProvider#hasListEndpoint()} is false and {@code archiver.api.list-path} is not set, in which case
 * nothing was requested), or the list endpoint answered 404 or 405. A configuration problem, not a transient
 * one: never retried. The message names the provider and {@code archiver.api.list-path}.
 */
public final class ListEndpointUnavailableException extends ArchiveException {

    private final ApiProvider provider;
    private final URI url;
    private final int httpStatus;

    private ListEndpointUnavailableException(ApiProvider provider, URI url, int httpStatus, String message) {
        super(null, message);
        this.provider = provider;
        this.url = url;
        this.httpStatus = httpStatus;
    }

    static ListEndpointUnavailableException notServed(ApiProvider provider) {
        String name = provider.name().toLowerCase(Locale.ROOT);
        return new ListEndpointUnavailableException(provider, null, 0, "backfill needs the list endpoint, which "
                + "archiver.api.provider=" + name + " is not known to serve: archive ids given explicitly instead,"
                + " or, if " + name + " does serve it, set archiver.api.list-path (e.g. " + provider.listPath() + ")");
    }

    static ListEndpointUnavailableException answered(ApiProvider provider, URI url, int httpStatus,
            String listPath) {
        return new ListEndpointUnavailableException(provider, url, httpStatus, "backfill needs the list endpoint, "
                + "but GET " + url + " answered HTTP " + httpStatus + " (archiver.api.provider="
                + provider.name().toLowerCase(Locale.ROOT) + "): check archiver.api.base-url and "
                + "archiver.api.list-path (now '" + listPath + "'), or archive ids given explicitly instead");
    }

    public ApiProvider provider() {
        return provider;
    }

    /** The list URL that answered, or {@code null} when nothing was requested. */
    public URI url() {
        return url;
    }

    /** 404 or 405; 0 when nothing was requested. */
    public int httpStatus() {
        return httpStatus;
    }
}
