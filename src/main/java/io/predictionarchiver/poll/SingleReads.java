package io.predictionarchiver.poll;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.prediction.WallTime;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Single reads of awaited ids, for the {@link StatusBoard}: at most one in flight per id ({@link Watch#reading}),
 * cancelled when the id's last waiter leaves. A read that shows the id terminal ends its wait; any other answer is
 * taken in, and the id is due again on its adaptive {@link PollSchedule}. A failed read ends the wait with its error,
 * except a first look for want of the API (see {@link FirstLooks}), which leaves the id to the list. A read that
 * ends after the id's wait did changes nothing.
 *
 * <p>Retries are the reader's: each read's retries stop before its id's max-wait ends.
 */
final class SingleReads {

    private static final Logger log = LoggerFactory.getLogger(SingleReads.class);

    private final Watches watches;
    /** a single read of an id, whose retries do not wait past the instant given (the id's max-wait) */
    private final BiFunction<PredictionId, Instant, Mono<Prediction>> reader;
    private final PollSchedule schedule;
    private final Scheduler scheduler;

    SingleReads(Watches watches, BiFunction<PredictionId, Instant, Mono<Prediction>> reader, PollSchedule schedule,
            Scheduler scheduler) {
        this.watches = watches;
        this.reader = reader;
        this.schedule = schedule;
        this.scheduler = scheduler;
    }

    /** Starts the read of {@code watch}, which the caller marked {@link Watch#reading} under the watches' lock. */
    void start(Watch watch) {
        Disposable read = reader.apply(watch.id, watch.deadline).subscribe(
                prediction -> done(watch, prediction).ifPresent(Runnable::run),
                error -> failed(watch, error).ifPresent(Runnable::run));
        synchronized (watches) {
            if (watch.reading) {
                watch.read = read;
            }
        }
    }

    /** Takes in what the read showed; the completion of the waiters, to run outside the lock, if it ended the wait. */
    private Optional<Runnable> done(Watch watch, Prediction prediction) {
        synchronized (watches) {
            watch.reading = false;
            watch.firstLook = false;
            watch.read = null;
            watch.urgent = Urgent.NONE;
            if (!watches.current(watch)) {
                return Optional.empty();
            }
            if (prediction.terminal()) {
                watches.remove(watch.id);
                return Optional.of(() -> watch.end(prediction));
            }
            watch.saw(prediction);
            watch.dueAgain(WallTime.of(scheduler), schedule);
            return Optional.empty();
        }
    }

    /** Takes in why the read failed; the failure of the waiters, to run outside the lock, if it ended the wait. */
    private Optional<Runnable> failed(Watch watch, Throwable error) {
        synchronized (watches) {
            watch.reading = false;
            watch.read = null;
            if (!watches.current(watch)) {
                return Optional.empty();
            }
            if (watch.firstLook && FirstLooks.givesWayToTheList(error)) {
                watch.firstLook = false;
                log.debug("first look at {} failed ({}); watching it by list", watch.id, error.getMessage());
                return Optional.empty();
            }
            watches.remove(watch.id);
            return Optional.of(() -> watch.fail(error));
        }
    }
}
