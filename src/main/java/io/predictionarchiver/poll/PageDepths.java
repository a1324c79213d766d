package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where creation times fell in the pages of the last list refresh, to estimate how many pages reaching back to a
 * creation time will cost this time: the oldest creation time on each page, newest page first. Beyond the pages
 * read last time the estimate extrapolates their average time span; with no refresh yet, everything is one page
 * away. The head moves between two refreshes, so the estimate is a guess, good enough to weigh pages against
 * single reads.
 */
record PageDepths(Instant newest, List<Instant> pageEnds) {

    static final PageDepths UNKNOWN = new PageDepths(null, List.of());

    PageDepths {
        pageEnds = List.copyOf(pageEnds);
    }

    /** Pages to read, newest first, until one holds predictions created at {@code created} or before. */
    int pagesToReach(Instant created) {
        for (int page = 0; page < pageEnds.size(); page++) {
            if (!pageEnds.get(page).isAfter(created)) {
                return page + 1;
            }
        }
        if (pageEnds.isEmpty()) {
            return 1;
        }
        Instant oldest = pageEnds.get(pageEnds.size() - 1);
        long spanNanos = saturatedNanos(Duration.between(oldest, newest)) / pageEnds.size();
        if (spanNanos <= 0) {
            return pageEnds.size() + 1;
        }
        long beyond = saturatedNanos(Duration.between(created, oldest));
        long further = beyond / spanNanos + (beyond % spanNanos == 0 ? 0 : 1);
        return (int) Math.min(Integer.MAX_VALUE, pageEnds.size() + further);
    }

    /** A {@code created_at} from the API may lie centuries away, beyond what nanoseconds in a long can hold. */
    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
