package io.predictionarchiver.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time running {@code factor} times faster than the wall clock, from {@code origin} at construction:
 * with a factor of 60, a one-hour load scenario plays in a minute. Everything the simulator derives from its
 * clock (creation, completion, expiry, the per-minute rate limit) is compressed alike; API latency is real time,
 * so divide it by the factor too. Thread-safe.
 */
public final class CompressedClock extends Clock {

    private final Instant origin;
    private final long startNanos;
    private final double factor;

    public CompressedClock(Instant origin, double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("time compression factor >= 1 required but it was " + factor);
        }
        this.origin = origin;
        this.factor = factor;
        this.startNanos = System.nanoTime();
    }

    public double factor() {
        return factor;
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((long) ((System.nanoTime() - startNanos) * factor));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "CompressedClock[" + factor + "x from " + origin + "]";
    }
}
