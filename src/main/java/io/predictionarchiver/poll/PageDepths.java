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
 *
 * <p>{@code reachedBack} is how far back the last refresh is known to have seen everything: its floor, or
 * {@link Instant#MIN} when it came to the end of the list. A creation time at or after it costs no more pages than
 * that refresh read, however narrow their time span: extrapolating a span of milliseconds (a batch created at once)
 * would otherwise price an id registered a moment later, whose creation time is not known yet, at thousands of
 * pages, and every such id would be read alone.
 */
record PageDepths(Instant newest, List<Instant> pageEnds, Instant reachedBack) {

    static final PageDepths UNKNOWN = new PageDepths(null, List.of(), null);

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
        if (reachedBack != null && !created.isBefore(reachedBack)) {
            return pageEnds.size();
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
