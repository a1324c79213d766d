package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.poll.Watch.Urgent;

/**
 * How one tick spends the rate budget on the awaited ids: a pure function of the watches, the page depths of the
 * last refresh and the permits the budget holds; it changes nothing, and the {@link StatusBoard} applies what it
 * decides.
 *
 * <p><b>The list</b> ({@link #plan}): pages, newest first, down to the creation time of the oldest listed id that is
 * due (its adaptive {@link PollSchedule} delay has passed, to the nearest tick), unless reading that deep costs more
 * pages than single reads of the ids it would reach (see {@link PageDepths}): the plan reaches the id that makes
 * pages plus reads beyond them cheapest. An id whose creation time is not known yet counts as created
 * {@value #UNKNOWN_CREATION_MARGIN_SECONDS} s before it registered. A listed id created more than {@code window}
 * before the tick is too old for the list ({@link #tooOldToList}) and becomes a straggler, read alone.
 *
 * <p><b>Single reads</b> ({@link #singleReads}): at most the permits the budget holds now plus what it refills over
 * one tick less the pages just read, so that the next tick's pages do not queue behind them: first ids whose list
 * entry is terminal but abbreviated, then ids a refresh should have shown but did not while their creation time is
 * unknown, then every other due id the pages did not reach, most overdue first.
 */
final class ListPlanner {

    static final long UNKNOWN_CREATION_MARGIN_SECONDS = 60;

    private static final Duration UNKNOWN_CREATION_MARGIN = Duration.ofSeconds(UNKNOWN_CREATION_MARGIN_SECONDS);
    /** {@code created_after} is exclusive on some APIs; reach a little below the oldest id to be sure. */
    private static final Duration FLOOR_MARGIN = Duration.ofSeconds(1);

    private final Duration interval;
    private final Duration window;
    private final long refillPerTick;

    /**
     * A planner for ticks every {@code interval}, listing ids created within {@code window}, with a budget that adds
     * {@code refillPerTick} permits over one interval.
     */
    ListPlanner(Duration interval, Duration window, long refillPerTick) {
        if (interval.isNegative() || interval.isZero() || window.isNegative() || refillPerTick < 0) {
            throw new IllegalArgumentException("interval > 0, window >= 0 and refillPerTick >= 0 required but they "
                    + "were " + interval + ", " + window + " and " + refillPerTick);
        }
        this.interval = interval;
        this.window = window;
        this.refillPerTick = refillPerTick;
    }

    /** The listed ids created (or, creation unknown, counted as created) before the list window of {@code tickAt}. */
    List<Watch> tooOldToList(Collection<Watch> watches, Instant tickAt) {
        Instant oldestListed = tickAt.minus(window);
        return watches.stream()
                .filter(watch -> watch.route == Route.LISTED && reference(watch).isBefore(oldestListed))
                .toList();
    }

    /**
     * What the tick of {@code tickAt} pages for: empty when no listed id within the window is due, or when reading
     * every due one alone is cheapest. Ids already being read, or urgent for a read of their own, are not planned.
     */
    Optional<ListPlan> plan(Collection<Watch> watches, PageDepths depths, Instant tickAt) {
        Instant oldestListed = tickAt.minus(window);
        Instant dueBy = dueBy(tickAt);
        List<Watch> due = new ArrayList<>();
        for (Watch watch : watches) {
            if (watch.route == Route.LISTED && !reference(watch).isBefore(oldestListed)
                    && watch.urgent == Urgent.NONE && !watch.reading && !watch.nextLookAt.isAfter(dueBy)) {
                due.add(watch);
            }
        }
        if (due.isEmpty()) {
            return Optional.empty();
        }
        due.sort(Comparator.comparing(ListPlanner::reference).reversed());
        int reached = cheapestReach(due, depths);
        if (reached < 0) {
            return Optional.empty();
        }
        Instant floor = reference(due.get(reached)).minus(FLOOR_MARGIN);
        return Optional.of(new ListPlan(floor, Set.copyOf(due.subList(0, reached + 1)),
                Set.copyOf(due.subList(reached + 1, due.size()))));
    }

    /**
     * The single reads the tick of {@code tickAt} starts, in order: urgent ids, then due ids that are stragglers or
     * that {@code readAlone} accepts (after a list read, those its plan left beyond reach), most overdue first;
     * none already being read; at most {@code permitsNow} (negative while callers wait on credit) plus one tick's
     * refill less {@code pagesThisTick}.
     */
    List<Watch> singleReads(Collection<Watch> watches, Instant tickAt, long permitsNow, int pagesThisTick,
            Predicate<Watch> readAlone) {
        long allowance = permitsNow + refillPerTick - pagesThisTick;
        if (allowance <= 0) {
            return List.of();
        }
        Instant dueBy = dueBy(tickAt);
        return watches.stream()
                .filter(watch -> !watch.reading)
                .filter(watch -> watch.urgent != Urgent.NONE
                        || !watch.nextLookAt.isAfter(dueBy) && (watch.route != Route.LISTED || readAlone.test(watch)))
                .sorted(Comparator.comparing((Watch watch) -> watch.urgent).reversed()
                        .thenComparing(watch -> watch.nextLookAt))
                .limit(allowance)
                .toList();
    }

    /**
     * The index of the oldest due id worth reaching by pages: reaching id {@code i} costs its page depth plus one
     * read for every due id beyond it; -1 when reading them all alone is cheapest. Ties go to the deeper reach,
     * which refreshes more.
     */
    private static int cheapestReach(List<Watch> newestFirst, PageDepths depths) {
        int count = newestFirst.size();
        long bestCost = count;
        int best = -1;
        for (int i = 0; i < count; i++) {
            long cost = (long) depths.pagesToReach(reference(newestFirst.get(i))) + (count - i - 1);
            if (cost <= bestCost) {
                bestCost = cost;
                best = i;
            }
        }
        return best;
    }

    /**
     * The latest next-look time that counts as due at the tick of {@code tickAt}: the nearest tick, not the next
     * one. A look lands after its tick by the latency of the pages before it, so a delay of one interval would
     * otherwise just miss the following tick and wait for the one after, doubling the time between looks.
     */
    private Instant dueBy(Instant tickAt) {
        return tickAt.plus(interval.dividedBy(2));
    }

    private static Instant reference(Watch watch) {
        return watch.reference(UNKNOWN_CREATION_MARGIN);
    }
}
