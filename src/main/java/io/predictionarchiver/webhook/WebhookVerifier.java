package io.predictionarchiver.webhook;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.predictionarchiver.config.WebhookProperties;

/**
 * Verifies a Replicate webhook delivery (the Standard Webhooks scheme): the HMAC-SHA256, keyed with the
 * decoded {@code archiver.webhook.secret}, of {@code <webhook-id>.<webhook-timestamp>.<raw body>} must equal
 * one of the {@code v1} signatures in {@code webhook-signature}, and {@code webhook-timestamp} (Unix seconds)
 * must lie within the tolerance of now, in the past or the future; exactly at the tolerance is accepted.
 *
 * <p>Pure: no I/O, no logging, no framework. Thread-safe; one instance serves every delivery. A bad delivery
 * is an answer, not an error: {@link #verify} returns a {@link Verification} whose reason names what was
 * wrong and never contains the secret or the expected signature. Signatures are compared in constant time
 * ({@link MessageDigest#isEqual}). The body must be the bytes exactly as received, before any JSON parsing.
 * Replay protection beyond the timestamp window (remembering {@code webhook-id}s) is the caller's concern.
 *
 * <p>The secret is {@code whsec_<base64>} as Replicate hands it out; without the prefix it is taken as the
 * base64 key itself (as the Standard Webhooks libraries do). The constructors fail with an
 * {@link IllegalArgumentException} naming {@code archiver.webhook.secret} when it is absent or not base64.
 */
public final class WebhookVerifier {

    /** Replicate's (and Standard Webhooks') window for {@code webhook-timestamp}. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** Long enough for any Unix-seconds value, short enough that parsing cannot overflow. */
    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private final SigningKey key;
    private final Duration tolerance;
    private final Clock clock;

    /** A verifier with the default five-minute tolerance. */
    public WebhookVerifier(String secret, Clock clock) {
        this(secret, DEFAULT_TOLERANCE, clock);
    }

    /** A verifier from {@code archiver.webhook.*}; the caller checks {@link WebhookProperties#hasSecret()}. */
    public WebhookVerifier(WebhookProperties properties, Clock clock) {
        this(properties.secret(), properties.tolerance(), clock);
    }

    private WebhookVerifier(String secret, Duration tolerance, Clock clock) {
        this.key = SigningKey.decode(secret);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks one delivery. Header values are passed as received ({@code null} when the header is absent).
     * Checks run cheapest first: presence of the headers, the timestamp's form and age, then the MAC.
     *
     * @param body            the raw request body, exactly as received
     * @param webhookId       the {@code webhook-id} header
     * @param timestamp       the {@code webhook-timestamp} header, Unix seconds
     * @param signatureHeader the {@code webhook-signature} header, space-separated {@code v1,<base64>} entries
     */
    public Verification verify(byte[] body, String webhookId, String timestamp, String signatureHeader) {
        Objects.requireNonNull(body, "body");
        if (isBlank(webhookId)) {
            return Verification.rejected("missing webhook-id header");
        }
        if (isBlank(timestamp)) {
            return Verification.rejected("missing webhook-timestamp header");
        }
        if (isBlank(signatureHeader)) {
            return Verification.rejected("missing webhook-signature header");
        }
        if (!isUnixSeconds(timestamp)) {
            return Verification.rejected("webhook-timestamp is not Unix seconds");
        }
        if (skew(Long.parseLong(timestamp)).compareTo(tolerance) > 0) {
            return Verification.rejected("webhook-timestamp outside the " + describe(tolerance) + " tolerance");
        }
        List<byte[]> signatures = SignatureHeader.v1Signatures(signatureHeader);
        if (signatures.isEmpty()) {
            return Verification.rejected("no v1 signature in webhook-signature header");
        }
        byte[] expected = key.sign(webhookId, timestamp, body);
        for (byte[] signature : signatures) {
            if (MessageDigest.isEqual(expected, signature)) {
                return Verification.VERIFIED;
            }
        }
        return Verification.rejected("no signature matches");
    }

    private static boolean isBlank(String header) {
        return header == null || header.isBlank();
    }

    /** Digits only: the value is signed as sent, so {@code +1}, spaces or a fraction must not be normalised. */
    private static boolean isUnixSeconds(String timestamp) {
        return timestamp.length() <= MAX_TIMESTAMP_DIGITS && timestamp.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** In plain seconds: a far-off timestamp (milliseconds by mistake) lies beyond {@link Instant}'s range. */
    private Duration skew(long epochSeconds) {
        Instant now = clock.instant();
        return Duration.ofSeconds(now.getEpochSecond() - epochSeconds, now.getNano()).abs();
    }

    private static String describe(Duration tolerance) {
        if (tolerance.toNanosPart() != 0) {
            return tolerance.toString();
        }
        long seconds = tolerance.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + "-minute" : seconds + "-second";
    }

    /**
     * The outcome of {@link #verify}: accepted, or rejected with a short reason fit for a log line or a 401
     * body (it names the header or check that failed, never the secret or the expected signature).
     *
     * @param valid  whether the delivery is authentic and fresh
     * @param reason why not, or {@code "verified"}
     */
    public record Verification(boolean valid, String reason) {

        static final Verification VERIFIED = new Verification(true, "verified");

        public Verification {
            Objects.requireNonNull(reason, "reason");
        }

        static Verification rejected(String reason) {
            return new Verification(false, reason);
        }
    }
}
