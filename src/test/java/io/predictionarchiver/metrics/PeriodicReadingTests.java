package io.predictionarchiver.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A gauge's background reading, on virtual time. */
class PeriodicReadingTests {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Integer> readings = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void dispose() {
        time.dispose();
    }

    @Test
    void readsAtStartThenEveryPeriodUntilClosed() {
        try (PeriodicReading<Integer> reading = new PeriodicReading<>("test reads", Duration.ofSeconds(10), time,
                () -> Mono.fromCallable(reads::incrementAndGet), readings::add)) {
            reading.start();
            reading.start();
            assertThat(readings).as("read at once, and once for two starts").containsExactly(1);

            time.advanceTimeBy(Duration.ofSeconds(25));
            assertThat(readings).containsExactly(1, 2, 3);

            reading.close();
            time.advanceTimeBy(Duration.ofMinutes(1));
            assertThat(readings).as("nothing read after close").containsExactly(1, 2, 3);
        }
    }

    @Test
    void aReadStillRunningAtTheNextTickIsNotJoinedByAnother() {
        try (PeriodicReading<Integer> reading = new PeriodicReading<>("slow reads", Duration.ofSeconds(10), time,
                () -> Mono.fromCallable(reads::incrementAndGet).delayElement(Duration.ofSeconds(25), time),
                readings::add)) {
            reading.start();
            time.advanceTimeBy(Duration.ofSeconds(24));
            assertThat(reads).as("the ticks at 10 s and 20 s dropped while the first read runs").hasValue(1);

            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(readings).containsExactly(1);
            assertThat(reads).as("the dropped ticks are not read back to back").hasValue(1);
            time.advanceTimeBy(Duration.ofSeconds(5));
            assertThat(reads).as("the tick at 30 s reads again").hasValue(2);
        }
    }

    @Test
    void aReadThatStandsInAValueForItsFailureLeavesTheNextTickToReadAgain() {
        try (PeriodicReading<Integer> reading = new PeriodicReading<>("failing reads", Duration.ofSeconds(10), time,
                () -> Mono.fromCallable(reads::incrementAndGet)
                        .flatMap(n -> n == 1 ? Mono.<Integer>error(new IllegalStateException("down")) : Mono.just(n))
                        .onErrorResume(error -> Mono.just(-1)),
                readings::add)) {
            reading.start();
            time.advanceTimeBy(Duration.ofSeconds(10));

            assertThat(readings).containsExactly(-1, 2);
        }
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new PeriodicReading<Integer>("reads", Duration.ZERO, time, Mono::empty, readings::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("every > 0 required but it was PT0S");
    }
}
