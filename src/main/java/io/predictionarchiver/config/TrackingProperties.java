package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.tracking.*}: the daemon's durable tracking markers, kept in the archive bucket.
 *
 * @param prefix        where the markers live; must end with {@code /}. It must also lie outside
 *                      {@code archiver.s3.prefix}, which the daemon's wiring checks since it sees both records
 * @param leaseDuration how long a daemon's claim on an id lasts without renewal; after that another daemon
 *                      may take the id over
 */
@ConfigurationProperties("archiver.tracking")
public record TrackingProperties(
        @DefaultValue("_tracking/") String prefix,
        @DefaultValue("5m") Duration leaseDuration) {

    public TrackingProperties {
        if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("archiver.tracking.prefix must be non-empty, end with '/' and not"
                    + " start with '/', but was '" + prefix + "'");
        }
        Positive.require("archiver.tracking.lease-duration", leaseDuration);
    }
}
