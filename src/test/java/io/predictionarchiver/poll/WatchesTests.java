package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.prediction.PredictionId;
import reactor.core.Disposable;
import reactor.core.Disposables;

/** The waiter registry: one watch per id however many wait, and what the last waiter's leaving does. */
class WatchesTests {

    private static final PredictionId ID = PredictionId.of("awaited");
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private final Watches watches = new Watches();

    @Test
    void aSecondWaiterJoinsTheWatchOfTheFirst() {
        assertThat(watches.join(ID)).as("not awaited yet").isNull();
        Watch first = watch();
        watches.add(first);

        assertThat(watches.join(ID)).isSameAs(first);
        assertThat(first.waiters).isEqualTo(2);
        assertThat(watches.size()).isEqualTo(1);
    }

    @Test
    void anIdStaysAwaitedUntilItsLastWaiterLeavesAndThenItsReadInFlightIsCancelled() {
        Watch watch = watch();
        watches.add(watch);
        watches.join(ID);
        Disposable read = Disposables.single();
        watch.read = read;

        watches.leave(watch);
        assertThat(watches.current(watch)).isTrue();
        assertThat(read.isDisposed()).isFalse();

        watches.leave(watch);
        assertThat(watches.current(watch)).isFalse();
        assertThat(watches.isEmpty()).isTrue();
        assertThat(read.isDisposed()).as("nobody wants its answer").isTrue();
    }

    @Test
    void aWaiterOfAnEndedWaitLeavingDoesNotEndTheNextWaitForTheSameId() {
        Watch ended = watch();
        watches.add(ended);
        assertThat(watches.remove(ID)).isSameAs(ended);
        Watch next = watch();
        watches.add(next);

        watches.leave(ended);

        assertThat(watches.current(next)).isTrue();
        assertThat(watches.get(ID)).isSameAs(next);
    }

    @Test
    void anIdAwaitedAlreadyIsJoinedNotAddedTwice() {
        watches.add(watch());

        assertThatThrownBy(() -> watches.add(watch())).isInstanceOf(IllegalStateException.class)
                .hasMessage("awaited is awaited already; join its watch instead");
    }

    @Test
    void removingAllEndsEveryWaitAndHandsTheWatchesOver() {
        Watch one = watch();
        Watch other = new Watch(PredictionId.of("other"), NOW, NOW.plus(Duration.ofHours(1)));
        watches.add(one);
        watches.add(other);

        assertThat(watches.removeAll()).containsExactlyInAnyOrder(one, other);
        assertThat(watches.isEmpty()).isTrue();
    }

    private static Watch watch() {
        return new Watch(ID, NOW, NOW.plus(Duration.ofHours(1)));
    }
}
