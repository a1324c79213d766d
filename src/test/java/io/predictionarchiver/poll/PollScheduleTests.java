package io.predictionarchiver.poll;

import static io.predictionarchiver.poll.TestPredictions.prediction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class PollScheduleTests {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant WATCHING_SINCE = NOW.minusSeconds(5);

    private final PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void aJustStartedImageModelIsPolledAtTheMinimumInterval() {
        var running = prediction("processing", NOW.minusSeconds(3), NOW.minusMillis(1500));

        assertThat(schedule.nextDelay(running, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRunningPredictionIsPolledAtAFifthOfItsRunningTime() {
        var running = prediction("processing", NOW.minusSeconds(100), NOW.minusSeconds(60));

        assertThat(schedule.nextDelay(running, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aLongVideoIsPolledAtTheMaximumInterval() {
        var running = prediction("processing", NOW.minusSeconds(700), NOW.minusSeconds(600));

        assertThat(schedule.nextDelay(running, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aStartingPredictionBacksOffFasterFromItsCreation() {
        var queued = prediction("starting", NOW.minusSeconds(20), null);

        assertThat(schedule.nextDelay(queued, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRunningPredictionWithoutStartedAtCountsFromCreation() {
        var running = prediction("processing", NOW.minusSeconds(50), null);

        assertThat(schedule.nextDelay(running, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownStatusIsPolledLikeARunningOne() {
        var unknown = prediction("queued_upstream", NOW.minusSeconds(100), NOW.minusSeconds(40));

        assertThat(schedule.nextDelay(unknown, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void withoutTimestampsTheAgeCountsFromTheStartOfWatching() {
        var bare = prediction("processing");

        assertThat(schedule.nextDelay(bare, NOW.minusSeconds(25), NOW)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aTimestampInTheFutureFromClockSkewGivesTheMinimumInterval() {
        var skewed = prediction("processing", NOW.plusSeconds(300), NOW.plusSeconds(200));

        assertThat(schedule.nextDelay(skewed, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anAbsurdAgeIsClampedToTheMaximumInterval() {
        var ancient = prediction("processing", Instant.parse("0001-01-01T00:00:00Z"), null);

        assertThat(schedule.nextDelay(ancient, WATCHING_SINCE, NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pollsOfATenMinuteRunGrowLogarithmically() {
        Instant started = NOW;
        Instant at = started;
        int polls = 0;
        Duration lastDelay = Duration.ZERO;
        while (at.isBefore(started.plusSeconds(600))) {
            lastDelay = schedule.nextDelay(prediction("processing", started, started), started, at);
            at = at.plus(lastDelay);
            polls++;
        }
        assertThat(polls).isLessThan(45);
        assertThat(lastDelay).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsAMaximumBelowTheMinimum() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PollSchedule(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .withMessageContaining("minInterval <= maxInterval");
    }
}
