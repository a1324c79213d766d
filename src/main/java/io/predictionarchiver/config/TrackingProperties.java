package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.tracking.*}: the daemon's durable tracking markers, kept in the archive bucket.
 *
 * @param prefix        where the markers live; must end with {@code /}. It must also lie outside
 *                      {@code archiver.s3.prefix}'s archives, which {@link KeySpace} checks since it sees both
 * @param leaseDuration how long a daemon's claim on an id lasts without renewal; after that another daemon
 *                      may take the id over
 * @param owner         this daemon's name on its leases; blank means a name made of the host name and a random
 *                      suffix, unique per process. Give a stable, unique name (a pod name) to let a restarted
 *                      daemon resume its own ids at once instead of after their leases expire
 * @param scanInterval  how often the daemon looks through the markers for ids nobody works on (accepted by a
 *                      daemon that stopped, or whose lease expired); the first look is at start
 * @param maxAttempts   claims of one id after which an id that keeps failing transiently is marked failed
 */
@ConfigurationProperties("archiver.tracking")
public record TrackingProperties(
        @DefaultValue("_tracking/") String prefix,
        @DefaultValue("5m") Duration leaseDuration,
        String owner,
        @DefaultValue("1m") Duration scanInterval,
        @DefaultValue("5") int maxAttempts) {

    public TrackingProperties {
        if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("archiver.tracking.prefix must be non-empty, end with '/' and not"
                    + " start with '/', but was '" + prefix + "'");
        }
        KeySpace.requireContained("archiver.tracking.prefix", prefix);
        Positive.require("archiver.tracking.lease-duration", leaseDuration);
        Positive.require("archiver.tracking.scan-interval", scanInterval);
        Positive.require("archiver.tracking.max-attempts", maxAttempts);
        if (owner != null && owner.isBlank()) {
            owner = null;
        }
    }

    /** The defaults but for {@code prefix} and {@code leaseDuration}. */
    public static TrackingProperties of(String prefix, Duration leaseDuration) {
        return new TrackingProperties(prefix, leaseDuration, null, Duration.ofMinutes(1), 5);
    }
}
