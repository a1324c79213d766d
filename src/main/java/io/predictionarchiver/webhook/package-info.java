/**
 * The signature check of Replicate's webhook deliveries (the Standard Webhooks scheme): HMAC-SHA256 over
 * id, timestamp and raw body, compared in constant time, within a timestamp tolerance.
 *
 * <p>Entry point: {@link io.predictionarchiver.webhook.WebhookVerifier}.
 *
 * <p>Concurrency: pure, no I/O; one thread-safe instance serves every delivery.
 *
 * <p>Errors: a delivery that does not verify is an answer ({@code Verification} with a reason that never holds the
 * secret), not an exception; a missing or malformed {@code archiver.webhook.secret} fails the constructor, naming
 * the property.
 */
package io.predictionarchiver.webhook;
