package io.predictionarchiver.daemon;

import java.time.Duration;

/**
 * How {@link TrackedWork} runs, from {@code archiver.tracking.*}, {@code archiver.download.concurrency} and
 * {@code archiver.expiry}.
 *
 * @param owner               this daemon's name on its leases
 * @param leaseDuration       how long a lease lasts unrenewed; leases are renewed every third of it
 * @param scanInterval        how often the state index is scanned for ids nobody works on
 * @param maxAttempts         claims after which an id that keeps failing transiently ends failed
 * @param transferConcurrency webhook deliveries archived at once
 * @param expiry              how long after completion a prediction's files stay fetchable
 *                            ({@code archiver.expiry}): files that kept failing are tried again until then
 */
record WorkSettings(String owner, Duration leaseDuration, Duration scanInterval, int maxAttempts,
        int transferConcurrency, Duration expiry) {
}
