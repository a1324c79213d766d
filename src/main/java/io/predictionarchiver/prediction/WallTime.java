package io.predictionarchiver.prediction;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import reactor.core.scheduler.Scheduler;

/**
 * The time a scheduler reads, as an instant comparable with the API's timestamps. Only
 * {@code now(MILLISECONDS)} is wall time on Reactor's real schedulers: {@code now(NANOSECONDS)} is
 * {@code System.nanoTime()}, counted from an arbitrary origin. Virtual-time schedulers agree in both units.
 */
public final class WallTime {

    private WallTime() {
    }

    public static Instant of(Scheduler scheduler) {
        return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    }
}
