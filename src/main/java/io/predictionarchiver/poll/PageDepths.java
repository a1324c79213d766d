package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.predictionarchiver.prediction.Prediction;

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

    /**
     * The depths a refresh that paged down to {@code floor} saw in {@code pages}, newest first: empty when they hold
     * no creation time to learn from (the last depths then still serve).
     */
    static Optional<PageDepths> of(List<ListPage> pages, Instant floor) {
        Optional<Instant> newest = pages.stream().flatMap(page -> page.results().stream())
                .map(Prediction::createdAt).filter(Objects::nonNull).findFirst();
        List<Instant> pageEnds = new ArrayList<>();
        for (ListPage page : pages) {
            List<Prediction> results = page.results();
            if (!results.isEmpty() && results.get(results.size() - 1).createdAt() != null) {
                pageEnds.add(results.get(results.size() - 1).createdAt());
            }
        }
        if (newest.isEmpty() || pageEnds.isEmpty()) {
            return Optional.empty();
        }
        boolean endOfList = pages.get(pages.size() - 1).next() == null;
        return Optional.of(new PageDepths(newest.get(), pageEnds, endOfList ? Instant.MIN : floor));
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
