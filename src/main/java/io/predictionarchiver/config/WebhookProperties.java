package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.webhook.*}: how signed Replicate webhook deliveries are verified. The secret is optional:
 * without one the daemon refuses webhooks (503) instead of failing to start. {@code application.yml} makes it
 * fall back to the environment variable {@code REPLICATE_WEBHOOK_SECRET}. Its shape ({@code whsec_<base64>})
 * is checked where it is decoded, when the verifier is built.
 *
 * @param secret    signing secret ({@code whsec_<base64>}); blank counts as none; never logged
 * @param tolerance how far a delivery's {@code webhook-timestamp} may lie from now, past or future
 */
@ConfigurationProperties("archiver.webhook")
public record WebhookProperties(String secret, @DefaultValue("5m") Duration tolerance) {

    public WebhookProperties {
        if (secret != null && secret.isBlank()) {
            secret = null;
        }
        Positive.require("archiver.webhook.tolerance", tolerance);
    }

    /** Whether webhooks can be verified at all; without a secret they are refused. */
    public boolean hasSecret() {
        return secret != null;
    }

    /** Keeps the secret out of every {@code toString()}, and so out of logs and failure analyses. */
    @Override
    public String toString() {
        return "WebhookProperties[secret=" + (secret == null ? "none" : "***") + ", tolerance=" + tolerance + "]";
    }
}
