package io.predictionarchiver.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 key decoded from {@code archiver.webhook.secret}. Messages name the property and what is
 * wrong with it but never quote it: even a malformed secret may be most of a real one.
 */
final class SigningKey {

    private static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private SigningKey(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    }

    /**
     * Replicate hands out {@code whsec_<base64>}; like the Standard Webhooks libraries, a secret without the
     * prefix is taken as the base64 key itself. Surrounding whitespace (a trailing newline in an env file) is
     * dropped.
     */
    static SigningKey decode(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(
                    "archiver.webhook.secret is required to verify webhooks (env REPLICATE_WEBHOOK_SECRET)");
        }
        String trimmed = secret.strip();
        String encoded = trimmed.startsWith(PREFIX) ? trimmed.substring(PREFIX.length()) : trimmed;
        byte[] keyBytes;
        try {
            keyBytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            // The decoder's message quotes the offending character; it is deliberately not chained.
            throw new IllegalArgumentException(
                    "archiver.webhook.secret must be 'whsec_' followed by base64, but its key part is not base64");
        }
        if (keyBytes.length == 0) {
            throw new IllegalArgumentException("archiver.webhook.secret must be 'whsec_' followed by base64, "
                    + "but its key part is empty");
        }
        return new SigningKey(keyBytes);
    }

    /** HMAC-SHA256 of {@code <id>.<timestamp>.<body>}, fed piecewise so the body is never copied. */
    byte[] sign(String webhookId, String timestamp, byte[] body) {
        Mac mac = newMac();
        mac.update(webhookId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
        mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        mac.update(body);
        return mac.doFinal();
    }

    /** A {@link Mac} is stateful, so each verification gets its own; that keeps the verifier thread-safe. */
    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException unavailable) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", unavailable);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[***]";
    }
}
