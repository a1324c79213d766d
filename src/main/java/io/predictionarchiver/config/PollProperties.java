package io.predictionarchiver.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param byList          watch predictions through pages of the list endpoint, reading single predictions only
 *                        for ids the list does not cover; providers without a list endpoint (no
 *                        {@code archiver.api.list-path}) poll each id whatever this says, and log so at start
 * @param listInterval    how often the list is read while predictions are watched by list
 * @param listWindow      predictions created longer ago than this are polled one by one, not looked for in the list;
 *                        within it, each tick still reads single predictions where that is cheaper than pages
 */
@ConfigurationProperties("archiver.poll")
public record PollProperties(
        @DefaultValue("256") int concurrency,
        @DefaultValue("1s") Duration minInterval,
        @DefaultValue("30s") Duration maxInterval,
        @DefaultValue("60m") Duration maxWait,
        @DefaultValue("8") int maxRetries,
        @DefaultValue("1s") Duration retryMinBackoff,
        @DefaultValue("60s") Duration retryMaxBackoff,
        @DefaultValue("true") boolean byList,
        @DefaultValue("2s") Duration listInterval,
        @DefaultValue("1h") Duration listWindow) {

    static final Duration DEFAULT_LIST_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_LIST_WINDOW = Duration.ofHours(1);

    @ConstructorBinding
    public PollProperties {
        Positive.require("archiver.poll.concurrency", concurrency);
        Positive.require("archiver.poll.min-interval", minInterval);
        Positive.require("archiver.poll.max-interval", maxInterval);
        Positive.require("archiver.poll.max-wait", maxWait);
        Positive.require("archiver.poll.retry-min-backoff", retryMinBackoff);
        Positive.require("archiver.poll.retry-max-backoff", retryMaxBackoff);
        Positive.require("archiver.poll.list-interval", listInterval);
        Positive.require("archiver.poll.list-window", listWindow);
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

    /** Per-id polling: poll-by-list off, its interval and window at their defaults (2 s, 1 h). */
    public PollProperties(int concurrency, Duration minInterval, Duration maxInterval, Duration maxWait,
            int maxRetries, Duration retryMinBackoff, Duration retryMaxBackoff) {
        this(concurrency, minInterval, maxInterval, maxWait, maxRetries, retryMinBackoff, retryMaxBackoff, false,
                DEFAULT_LIST_INTERVAL, DEFAULT_LIST_WINDOW);
    }

    /** These settings with poll-by-list {@code on} or off, at {@code listInterval}. */
    public PollProperties withByList(boolean on, Duration interval) {
        return new PollProperties(concurrency, minInterval, maxInterval, maxWait, maxRetries, retryMinBackoff,
                retryMaxBackoff, on, interval, listWindow);
    }
}
