package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.discovery.*}: whether and how the daemon finds new predictions by itself, through the API's
 * list endpoint, so that every prediction of the account gets archived without anyone tracking it.
 *
 * @param enabled  page the list endpoint and track every new prediction
 * @param interval how often
 * @param lookback how far back the very first look reaches, when no watermark is stored yet (files are
 *                 removed about an hour after completion, so older predictions have nothing left to keep)
 */
@ConfigurationProperties("archiver.discovery")
public record DiscoveryProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("30s") Duration interval,
        @DefaultValue("1h") Duration lookback) {

    public DiscoveryProperties {
        Positive.require("archiver.discovery.interval", interval);
        Positive.require("archiver.discovery.lookback", lookback);
    }
}
