package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.expiry}: how long after a prediction's {@code completed_at} its files are assumed to stay
 * fetchable. Replicate removes the files of API-created predictions about an hour after they finish; the daemon
 * measures its margin against this ({@code archiver_expiry_margin_seconds}) and counts files lost to it.
 *
 * @param expiry the assumed retention of delivery URLs after completion
 */
@ConfigurationProperties("archiver")
public record RetentionProperties(@DefaultValue("1h") Duration expiry) {

    public RetentionProperties {
        Positive.require("archiver.expiry", expiry);
    }
}
