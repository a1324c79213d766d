package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code archiver.poll.*}: every bound is checked at start-up, naming the property and the bad value. */
class PollPropertiesTests {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration ZERO = Duration.ZERO;
    private static final Duration NEGATIVE = Duration.ofSeconds(-5);

    @Test
    void acceptsSaneValues() {
        PollProperties poll = new PollProperties(256, SECOND, Duration.ofSeconds(30), Duration.ofMinutes(60), 8,
                SECOND, Duration.ofSeconds(60));

        assertThat(poll.concurrency()).isEqualTo(256);
        assertThat(poll.maxInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pollByListIsOffWithItsDefaultsUnlessAskedFor() {
        PollProperties perId = new PollProperties(256, SECOND, Duration.ofSeconds(30), Duration.ofMinutes(60), 8,
                SECOND, Duration.ofSeconds(60));
        PollProperties byList = perId.withByList(true, Duration.ofMillis(500));

        assertThat(perId.byList()).isFalse();
        assertThat(perId.listInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(perId.listWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(byList.byList()).isTrue();
        assertThat(byList.listInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(byList.listWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(byList.minInterval()).isEqualTo(perId.minInterval());
    }

    @Test
    void nonPositiveListIntervalIsRejected() {
        assertThatThrownBy(() -> withList(ZERO, Duration.ofMinutes(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.list-interval must be a positive duration, but was PT0S");
        assertThatThrownBy(() -> withList(null, Duration.ofMinutes(10)))
                .hasMessage("archiver.poll.list-interval must be a positive duration, but was null");
    }

    @Test
    void nonPositiveListWindowIsRejected() {
        assertThatThrownBy(() -> withList(SECOND, NEGATIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.list-window must be a positive duration, but was PT-5S");
    }

    @Test
    void equalMinAndMaxIntervalsAreAFixedInterval() {
        PollProperties poll = new PollProperties(1, SECOND, SECOND, SECOND, 0, SECOND, SECOND);

        assertThat(poll.minInterval()).isEqualTo(poll.maxInterval());
        assertThat(poll.maxRetries()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void nonPositiveConcurrencyIsRejected(int concurrency) {
        assertThatThrownBy(() -> new PollProperties(concurrency, SECOND, SECOND, SECOND, 8, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.concurrency must be greater than 0, but was " + concurrency);
    }

    @Test
    void zeroMinIntervalIsRejected() {
        assertThatThrownBy(() -> new PollProperties(1, ZERO, SECOND, SECOND, 8, SECOND, SECOND))
                .hasMessage("archiver.poll.min-interval must be a positive duration, but was PT0S");
    }

    @Test
    void negativeMaxIntervalIsRejected() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, NEGATIVE, SECOND, 8, SECOND, SECOND))
                .hasMessage("archiver.poll.max-interval must be a positive duration, but was PT-5S");
    }

    @Test
    void zeroMaxWaitIsRejected() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, ZERO, 8, SECOND, SECOND))
                .hasMessage("archiver.poll.max-wait must be a positive duration, but was PT0S");
    }

    @Test
    void missingMaxWaitIsRejected() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, null, 8, SECOND, SECOND))
                .hasMessage("archiver.poll.max-wait must be a positive duration, but was null");
    }

    @Test
    void negativeRetryBackoffsAreRejected() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, SECOND, 8, NEGATIVE, SECOND))
                .hasMessage("archiver.poll.retry-min-backoff must be a positive duration, but was PT-5S");
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, SECOND, 8, SECOND, ZERO))
                .hasMessage("archiver.poll.retry-max-backoff must be a positive duration, but was PT0S");
    }

    @Test
    void negativeMaxRetriesIsRejected() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, SECOND, -1, SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.max-retries must be 0 or more, but was -1");
    }

    @Test
    void maxIntervalShorterThanMinIntervalIsRejectedNamingBoth() {
        assertThatThrownBy(() -> new PollProperties(1, Duration.ofSeconds(10), Duration.ofSeconds(2), SECOND, 8,
                SECOND, SECOND))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.max-interval (PT2S) must not be shorter than"
                        + " archiver.poll.min-interval (PT10S)");
    }

    @Test
    void retryMaxBackoffShorterThanRetryMinBackoffIsRejectedNamingBoth() {
        assertThatThrownBy(() -> new PollProperties(1, SECOND, SECOND, SECOND, 8, Duration.ofSeconds(30),
                Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.poll.retry-max-backoff (PT5S) must not be shorter than"
                        + " archiver.poll.retry-min-backoff (PT30S)");
    }

    private static PollProperties withList(Duration listInterval, Duration listWindow) {
        return new PollProperties(1, SECOND, SECOND, SECOND, 8, SECOND, SECOND, true, listInterval, listWindow);
    }
}
