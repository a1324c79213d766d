package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code archiver.daemon.*}: the limits of the daemon's HTTP API. A request beyond them is refused with a
 * problem detail naming the limit, before anything in it is tracked.
 *
 * @param maxIdsPerRequest how many ids one {@code POST /v1/tracked} may carry
 * @param maxRequestSize   the largest {@code POST /v1/tracked} body
 * @param maxWebhookSize   the largest webhook body (a prediction with its logs and output)
 * @param drainTimeout     on shutdown, how long work in flight may go on finishing before it is cancelled and
 *                         its ids are given back for the next start; keep it below
 *                         {@code spring.lifecycle.timeout-per-shutdown-phase} (30s)
 */
@ConfigurationProperties("archiver.daemon")
public record DaemonProperties(
        @DefaultValue("1000") int maxIdsPerRequest,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("10MB") DataSize maxWebhookSize,
        @DefaultValue("20s") Duration drainTimeout) {

    public DaemonProperties {
        Positive.require("archiver.daemon.max-ids-per-request", maxIdsPerRequest);
        Positive.require("archiver.daemon.max-request-size", maxRequestSize);
        Positive.require("archiver.daemon.max-webhook-size", maxWebhookSize);
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("archiver.daemon.drain-timeout must be zero or positive, but was "
                    + drainTimeout);
        }
    }
}
