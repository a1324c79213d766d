package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code archiver.poll.*}: how predictions are watched until terminal.
 *
 * @param concurrency     predictions watched at once (each costs no thread, only a scheduled poll)
 * @param minInterval     shortest wait between two polls of one prediction
 * @param maxInterval     longest wait between two polls of one prediction
 * @param maxWait         after this long without a terminal status the id is reported as not archived
 * @param maxRetries      retries of one API call on 429, 5xx and connection errors
 * @param retryMinBackoff first retry delay (grows exponentially, with jitter)
 * @param retryMaxBackoff cap on the retry delay (a longer {@code Retry-After} is still honoured)
 */
@ConfigurationProperties("archiver.poll")
public record PollProperties(
        @DefaultValue("256") int concurrency,
        @DefaultValue("1s") Duration minInterval,
        @DefaultValue("30s") Duration maxInterval,
        @DefaultValue("60m") Duration maxWait,
        @DefaultValue("8") int maxRetries,
        @DefaultValue("1s") Duration retryMinBackoff,
        @DefaultValue("60s") Duration retryMaxBackoff) {

    public PollProperties {
        Positive.require("archiver.poll.concurrency", concurrency);
        Positive.require("archiver.poll.min-interval", minInterval);
        Positive.require("archiver.poll.max-interval", maxInterval);
        Positive.require("archiver.poll.max-wait", maxWait);
        Positive.require("archiver.poll.retry-min-backoff", retryMinBackoff);
        Positive.require("archiver.poll.retry-max-backoff", retryMaxBackoff);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("archiver.poll.max-retries must be 0 or more, but was " + maxRetries);
        }
        if (maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("archiver.poll.max-interval (" + maxInterval
                    + ") must not be shorter than archiver.poll.min-interval (" + minInterval + ")");
        }
        if (retryMaxBackoff.compareTo(retryMinBackoff) < 0) {
            throw new IllegalArgumentException("archiver.poll.retry-max-backoff (" + retryMaxBackoff
                    + ") must not be shorter than archiver.poll.retry-min-backoff (" + retryMinBackoff + ")");
        }
    }
}
