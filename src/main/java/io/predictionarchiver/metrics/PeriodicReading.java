package io.predictionarchiver.metrics;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A value a gauge shows that costs I/O to read: read at {@link #start} and then every {@code every} on the injected
 * scheduler (so virtual time can drive it), each reading handed to {@code onReading}; a scrape only sees the last
 * one and never waits. Reads never overlap: a tick that comes while one is still running is dropped.
 *
 * <p>{@code read} deals with its own failures (logs and stands in a value, or completes empty to keep the last
 * one), so that a failed read leaves the next tick to read again; the readings end only at {@link #close}.
 * {@link #start} and {@link #close} are idempotent and thread-safe.
 */
public final class PeriodicReading<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicReading.class);

    private final String name;
    private final Duration every;
    private final Scheduler scheduler;
    private final Supplier<Mono<T>> read;
    private final Consumer<? super T> onReading;
    private Disposable reading;

    /**
     * @param name      what is read, for the log line should the readings stop on an error {@code read} let
     *                  through
     * @param every     from the start of one read to the next tick
     */
    public PeriodicReading(String name, Duration every, Scheduler scheduler, Supplier<Mono<T>> read,
            Consumer<? super T> onReading) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every > 0 required but it was " + every);
        }
        this.name = name;
        this.every = every;
        this.scheduler = scheduler;
        this.read = read;
        this.onReading = onReading;
    }

    /** Reads now and then every {@code every}; does nothing when already reading. */
    public synchronized void start() {
        if (reading == null) {
            reading = Flux.interval(Duration.ZERO, every, scheduler)
                    .onBackpressureDrop()
                    // no prefetch: a tick is only requested once the read before it is done, so the ticks
                    // meanwhile are dropped rather than queued up to read back to back
                    .concatMap(tick -> read.get(), 0)
                    .subscribe(onReading, error -> log.error("{} stopped", name, error));
        }
    }

    /** Stops reading; the last reading stays wherever {@code onReading} put it. */
    @Override
    public synchronized void close() {
        if (reading != null) {
            reading.dispose();
            reading = null;
        }
    }
}
