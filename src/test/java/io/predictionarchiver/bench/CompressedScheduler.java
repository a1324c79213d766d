package io.predictionarchiver.bench;

import java.util.concurrent.TimeUnit;

import io.predictionarchiver.simulator.CompressedClock;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The archiver's scheduler in a compressed benchmark: it reads time from the simulator's {@link CompressedClock}
 * and runs every delay {@code factor} times sooner on the delegate. Poll intervals, the list interval, retry
 * backoffs, {@code max-wait} and the rate budget (Bucket4j reads this clock) then keep their real values in
 * simulated time: the archiver's settings need no scaling.
 */
final class CompressedScheduler implements Scheduler {

    private final Scheduler delegate;
    private final CompressedClock clock;

    CompressedScheduler(Scheduler delegate, CompressedClock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public long now(TimeUnit unit) {
        java.time.Instant now = clock.instant();
        return unit.convert(now.getEpochSecond() * 1_000_000_000L + now.getNano(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable task) {
        return delegate.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate.schedule(task, real(delay, unit), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return delegate.schedulePeriodically(task, real(initialDelay, unit), real(period, unit), TimeUnit.NANOSECONDS);
    }

    @Override
    public Worker createWorker() {
        Worker worker = delegate.createWorker();
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                return worker.schedule(task);
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                return worker.schedule(task, real(delay, unit), TimeUnit.NANOSECONDS);
            }

            @Override
            public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
                return worker.schedulePeriodically(task, real(initialDelay, unit), real(period, unit),
                        TimeUnit.NANOSECONDS);
            }

            @Override
            public void dispose() {
                worker.dispose();
            }

            @Override
            public boolean isDisposed() {
                return worker.isDisposed();
            }
        };
    }

    private long real(long simulated, TimeUnit unit) {
        return (long) (unit.toNanos(simulated) / clock.factor());
    }
}
