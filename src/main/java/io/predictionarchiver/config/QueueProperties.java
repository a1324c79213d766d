package io.predictionarchiver.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code archiver.queue.*}: the daemon's SQS consumer, which runs only when {@code url} is set.
 *
 * <p>Moving a message that keeps failing to a dead-letter queue is the queue's own redrive policy
 * ({@code maxReceiveCount}); the consumer never deletes a message it could not finish.
 *
 * @param url               the queue URL to consume; empty or absent: no consumer
 * @param endpoint          SQS-compatible endpoint (LocalStack, ElasticMQ); AWS when absent
 * @param region            region; when absent, the one in an AWS queue URL, else the SDK's default chain, else
 *                          {@code us-east-1}
 * @param waitTime          long-polling wait of one receive, whole seconds from 0 to 20 (the SQS maximum)
 * @param visibilityTimeout how long a received message stays hidden from other consumers; extended every half
 *                          of it while the message is being worked on, so a large transfer never lets it go
 * @param retryDelay        after a message could not be finished, how long until it is received again
 * @param maxMessages       messages asked for per receive, 1 to 10 (the SQS maximum)
 * @param concurrency       messages worked on at once; a message is received only when a slot is free
 * @param maxListSize       largest S3 object of ids an S3 event notification may name
 */
@ConfigurationProperties("archiver.queue")
public record QueueProperties(
        String url,
        URI endpoint,
        String region,
        @DefaultValue("20s") Duration waitTime,
        @DefaultValue("5m") Duration visibilityTimeout,
        @DefaultValue("30s") Duration retryDelay,
        @DefaultValue("10") int maxMessages,
        @DefaultValue("4") int concurrency,
        @DefaultValue("10MB") DataSize maxListSize) {

    private static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    public QueueProperties {
        url = url == null || url.isBlank() ? null : url.strip();
        if (url != null) {
            requireQueueUrl(url);
        }
        requireSeconds("archiver.queue.wait-time", waitTime, Duration.ZERO, MAX_WAIT);
        requireSeconds("archiver.queue.visibility-timeout", visibilityTimeout, Duration.ofSeconds(1), MAX_VISIBILITY);
        requireSeconds("archiver.queue.retry-delay", retryDelay, Duration.ZERO, MAX_VISIBILITY);
        if (maxMessages < 1 || maxMessages > 10) {
            throw new IllegalArgumentException("archiver.queue.max-messages must be between 1 and 10, but was "
                    + maxMessages);
        }
        Positive.require("archiver.queue.concurrency", concurrency);
        Positive.require("archiver.queue.max-list-size", maxListSize);
    }

    /** Whether a queue is configured, and so whether the consumer runs. */
    public boolean enabled() {
        return url != null;
    }

    private static void requireQueueUrl(String url) {
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.getHost() == null
                || !("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))) {
            throw new IllegalArgumentException("archiver.queue.url must be an http(s) queue URL such as "
                    + "https://sqs.us-east-1.amazonaws.com/123456789012/archive-requests, but was '" + url + "'");
        }
    }

    private static void requireSeconds(String property, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0 || value.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(property + " must be whole seconds from " + min.toSeconds() + "s to "
                    + max.toSeconds() + "s (the SQS limits), but was " + value);
        }
    }
}
