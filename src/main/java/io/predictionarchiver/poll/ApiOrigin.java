package io.predictionarchiver.poll;

import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port of the configured API base URL: the only place the bearer token may be sent. A URL
 * the API hands back (the list endpoint's {@code next}) is followed only when it has the same origin, with
 * default ports made explicit so that {@code https://h} and {@code https://h:443} are one origin.
 */
record ApiOrigin(String scheme, String host, int port) {

    static ApiOrigin of(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return new ApiOrigin(scheme, host, url.getPort() != -1 ? url.getPort() : defaultPort(scheme));
    }

    /** Same origin, and no user info (which the token must not be mixed with either). */
    boolean matches(URI url) {
        return url.isAbsolute() && url.getHost() != null && url.getRawUserInfo() == null && equals(of(url));
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }
}
