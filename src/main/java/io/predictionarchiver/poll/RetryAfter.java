package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpHeaders;

/**
 * Reads {@code Retry-After} (RFC 9110 §10.2.3): delta seconds or an HTTP date. A date is measured against the
 * response's own {@code Date} header when present, so that a skewed local clock does not distort it.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait asked for, or {@code null} when the header is absent or unreadable. */
    static Duration from(HttpHeaders headers, Instant localNow) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant serverNow = httpDate(headers.getFirst(HttpHeaders.DATE));
        return parse(value.trim(), serverNow != null ? serverNow : localNow);
    }

    static Duration parse(String value, Instant now) {
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
        }
        Instant until = httpDate(value);
        if (until == null) {
            return null;
        }
        Duration wait = Duration.between(now, until);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Instant httpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
