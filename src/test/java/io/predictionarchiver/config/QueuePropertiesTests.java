package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** {@code archiver.queue.*}: documented defaults, an empty URL as no queue, and SQS limits named on failure. */
class QueuePropertiesTests {

    @Test
    void defaultsLongPollAndRunNoConsumer() {
        QueueProperties queue = bind(Map.of());

        assertThat(queue.enabled()).isFalse();
        assertThat(queue.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(queue.visibilityTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(queue.retryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(queue.maxMessages()).isEqualTo(10);
        assertThat(queue.concurrency()).isEqualTo(4);
        assertThat(queue.maxListSize()).isEqualTo(DataSize.ofMegabytes(10));
    }

    @Test
    void anEmptyUrlIsNoQueue() {
        assertThat(bind(Map.of("archiver.queue.url", " ")).enabled()).isFalse();
    }

    @Test
    void kebabCaseNamesBind() {
        QueueProperties queue = bind(Map.of(
                "archiver.queue.url", "https://sqs.eu-west-1.amazonaws.com/123456789012/archive-requests",
                "archiver.queue.endpoint", "http://localhost:4566",
                "archiver.queue.visibility-timeout", "10m",
                "archiver.queue.max-messages", "5"));

        assertThat(queue.enabled()).isTrue();
        assertThat(queue.endpoint()).hasToString("http://localhost:4566");
        assertThat(queue.visibilityTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(queue.maxMessages()).isEqualTo(5);
    }

    @Test
    void aUrlThatIsNoHttpUrlIsRejected() {
        assertThatThrownBy(() -> bind(Map.of("archiver.queue.url", "archive-requests")))
                .rootCause()
                .hasMessageStartingWith("archiver.queue.url must be an http(s) queue URL")
                .hasMessageEndingWith("but was 'archive-requests'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "wait-time | 21s | must be whole seconds from 0s to 20s (the SQS limits), but was PT21S",
            "wait-time | 500ms | must be whole seconds from 0s to 20s (the SQS limits), but was PT0.5S",
            "visibility-timeout | 0s | must be whole seconds from 1s to 43200s (the SQS limits), but was PT0S",
            "retry-delay | 13h | must be whole seconds from 0s to 43200s (the SQS limits), but was PT13H",
            "max-messages | 11 | must be between 1 and 10, but was 11",
            "concurrency | 0 | must be greater than 0, but was 0"})
    void valuesBeyondTheSqsLimitsAreRejectedNamingTheProperty(String property, String value, String message) {
        assertThatThrownBy(() -> bind(Map.of("archiver.queue." + property, value)))
                .rootCause()
                .hasMessage("archiver.queue." + property + " " + message);
    }

    private static QueueProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("archiver.queue", QueueProperties.class);
    }
}
