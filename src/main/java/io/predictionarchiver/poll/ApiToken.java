package io.predictionarchiver.poll;

import org.springframework.http.HttpHeaders;

/**
 * The API bearer token, held so that it can reach the {@code Authorization} header and nothing else:
 * {@link #toString()} hides it, and {@link #redact} strips it from any text taken from a response before that
 * text goes into a message or a log line (an aggregator may echo the header back in an error body).
 */
final class ApiToken {

    private static final String REDACTED = "***";

    private final String value;

    ApiToken(String value) {
        this.value = value == null || value.isBlank() ? null : value;
    }

    boolean configured() {
        return value != null;
    }

    /** Sets {@code Authorization: Bearer …}; without a token the request goes out as is and the API answers 401. */
    void authorize(HttpHeaders headers) {
        if (value != null) {
            headers.setBearerAuth(value);
        }
    }

    String redact(String text) {
        return value == null || text == null ? text : text.replace(value, REDACTED);
    }

    @Override
    public String toString() {
        return configured() ? "ApiToken[" + REDACTED + "]" : "ApiToken[none]";
    }
}
