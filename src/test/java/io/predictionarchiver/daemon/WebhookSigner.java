package io.predictionarchiver.daemon;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhook bodies the way Replicate does (Standard Webhooks, HMAC-SHA256 with a {@code whsec_} secret). */
final class WebhookSigner {

    private WebhookSigner() {
    }

    /** Standard Webhooks headers for {@code body}, signed with {@code secret}; a mutable map. */
    static Map<String, String> signed(String secret, String webhookId, String timestamp, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", webhookId);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1," + hmac(secret, webhookId + "." + timestamp + ".", body));
        return headers;
    }

    /** A {@code webhook-timestamp} for now, within any tolerance. */
    static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private static String hmac(String secret, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
