package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpHeaders;

/**
 * Reads {@code Retry-After} (RFC 9110 §10.2.3): delta seconds or an HTTP date in any of the three forms RFC 9110
 * §5.6.7 obliges a recipient to accept (IMF-fixdate, the obsolete RFC 850 form and C's asctime form). A date is
 * measured against the response's own {@code Date} header when present, so that a skewed local clock does not
 * distort it.
 */
final class RetryAfter {

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} (and RFC 1123 dates generally). */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}; see {@link #rfc850}. */
    private static final DateTimeFormatter RFC_850 = rfc850();
    /** {@code Sun Nov  6 08:49:37 1994}: the day of month padded with a space, always GMT. */
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
            .toFormatter(Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(IMF_FIXDATE, RFC_850, ASCTIME);

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
        for (DateTimeFormatter format : HTTP_DATES) {
            try {
                return ZonedDateTime.parse(value.trim(), format).toInstant();
            } catch (DateTimeParseException otherForm) {
                // try the next of the three forms
            }
        }
        return null;
    }

    /**
     * RFC 850 dates carry a two-digit year, which RFC 9110 reads as the most recent year with those digits that is
     * not more than 50 years in the future.
     */
    private static DateTimeFormatter rfc850() {
        LocalDate base = LocalDate.now(ZoneOffset.UTC).minusYears(49);
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base)
                .appendPattern(" HH:mm:ss zzz")
                .toFormatter(Locale.US);
    }
}
