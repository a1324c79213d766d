package io.predictionarchiver.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;

/**
 * A clock reading a scheduler's time ({@link Instant#EPOCH} plus its nanoseconds), so that a simulator driven
 * by it (creation times, its per-minute rate limit) or a store stamping leases moves with the virtual time
 * that drives the archiver.
 */
public final class SchedulerClock extends Clock {

    private final Scheduler scheduler;

    public SchedulerClock(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Instant instant() {
        return Instant.EPOCH.plusNanos(scheduler.now(TimeUnit.NANOSECONDS));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
