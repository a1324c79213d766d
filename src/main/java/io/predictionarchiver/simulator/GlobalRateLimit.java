package io.predictionarchiver.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;

/**
 * The account-wide API budget: at most {@code requestsPerMinute} calls per minute of the simulator clock, in
 * fixed windows aligned to the minute. Thread-safe (synchronized: the critical section is a few arithmetic
 * operations, far cheaper than the HTTP request around it).
 */
final class GlobalRateLimit {

    private final int requestsPerMinute;
    private final Clock clock;
    private Instant window = Instant.MIN;
    private int used;

    GlobalRateLimit(int requestsPerMinute, Clock clock) {
        this.requestsPerMinute = requestsPerMinute;
        this.clock = clock;
    }

    /** Takes one call from the budget; empty when allowed, else the whole seconds until the window resets. */
    synchronized OptionalLong acquire() {
        if (requestsPerMinute == 0) {
            return OptionalLong.empty();
        }
        Instant now = clock.instant();
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        if (!current.equals(window)) {
            window = current;
            used = 0;
        }
        if (used < requestsPerMinute) {
            used++;
            return OptionalLong.empty();
        }
        Duration untilReset = Duration.between(now, current.plus(Duration.ofMinutes(1)));
        return OptionalLong.of(Math.max(1, (untilReset.toMillis() + 999) / 1000));
    }
}
