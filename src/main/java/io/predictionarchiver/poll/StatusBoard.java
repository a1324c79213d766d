package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Poll-by-list: every awaited id registers here, and one tick loop, every {@code listInterval} on the injected
 * scheduler, decides how the shared rate budget is spent on them.
 *
 * <p><b>Per tick</b>, in this order: (1) list pages, newest first, down to the creation time of the oldest id that is
 * due (its adaptive {@link PollSchedule} delay has passed, to the nearest tick), unless reading that deep costs more
 * pages than single reads of the ids it would reach (see {@link PageDepths}); every id found in the pages is refreshed,
 * due or not. (2) Single reads, at most the permits the budget holds now plus what it refills over one tick less the
 * pages just read, so that the next tick's pages do not queue behind them: first ids whose list entry is terminal but
 * abbreviated (no {@code output}; exactly one read), then ids a refresh should have shown but did not while their
 * creation time is unknown (one read, which learns it), then every other due id the pages did not reach, most overdue
 * first. Retries of either kind come out of the same budget.
 *
 * <p><b>First look</b>: while fewer than {@code firstLooks} ids ({@value #FIRST_LOOKS} in an application) are awaited, a
 * newly registered id is read alone at once, when the budget has a permit for it now (the read is a call like any other, taken from the same budget): a
 * script's handful of ids that are already finished is answered by that one read, the whole record the manifest
 * needs, instead of waiting for the first tick and then reading it anyway. Beyond that many, ids wait for the
 * pages, which serve a hundred a call: a backlog costs at most {@code firstLooks} reads more than by list alone. A
 * first look that fails for want of the API (retries exhausted) only leaves the id to the list; a 404 or a rejected
 * token ends the wait as any read does.
 *
 * <p><b>Stragglers</b>: an id created more than {@code listWindow} ago, or missing from a refresh that reached
 * its known creation time, is read alone on its adaptive schedule from then on. An id whose creation time is not
 * known yet counts as created {@value #UNKNOWN_CREATION_MARGIN_SECONDS} s before it registered.
 *
 * <p><b>List unavailable</b>: when the list endpoint answers 404 or 405, every id becomes a straggler and that is
 * logged once. A rejected token fails every waiter (every read would be rejected alike). A refresh cut short (a
 * {@code next} link refused, a page failing past its retries) keeps what the pages before showed, and the due ids
 * it did not reach are read alone that tick, within the same allowance, so that none waits for {@code max-wait}
 * behind a page that cannot be read; that is logged once.
 *
 * <p><b>Errors</b> inside a tick (planning, absorbing pages) are logged and the due ids are read alone that tick;
 * the loop goes on.
 *
 * <p><b>Memory and threads</b>: one {@link Watch} per awaited id and the page boundaries of the last refresh;
 * one periodic task while any id is awaited, none otherwise. State changes happen under this object's lock;
 * waiters are completed outside it.
 */
final class StatusBoard {

    static final long UNKNOWN_CREATION_MARGIN_SECONDS = 60;
    /** An application's ids awaited at once below which a new one gets a first look by single read (class comment). */
    static final int FIRST_LOOKS = 8;

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    private static final Duration UNKNOWN_CREATION_MARGIN = Duration.ofSeconds(UNKNOWN_CREATION_MARGIN_SECONDS);
    /** {@code created_after} is exclusive on some APIs; reach a little below the oldest id to be sure. */
    private static final Duration FLOOR_MARGIN = Duration.ofSeconds(1);

    private final PredictionListing listing;
    /** a single read of an id, whose retries do not wait past the instant given (the id's max-wait) */
    private final BiFunction<PredictionId, Instant, Mono<Prediction>> reader;
    private final RateBudget budget;
    private final PollSchedule schedule;
    private final int firstLooks;
    /** Long enough to take in the ids that arrive together (a bulk job's first batch), short beside a tick. */
    private static final Duration FIRST_TICK = Duration.ofMillis(200);

    private final Duration interval;
    private final Duration window;
    private final Scheduler scheduler;
    private final String provider;
    private final AtomicLong pagesRead = new AtomicLong();

    private final Map<PredictionId, Watch> watches = new HashMap<>();
    private PageDepths depths = PageDepths.UNKNOWN;
    private Disposable ticking;
    private String offReason;
    private boolean cutShortLogged;

    StatusBoard(PredictionListing listing, BiFunction<PredictionId, Instant, Mono<Prediction>> reader,
            RateBudget budget, int firstLooks, PollSchedule schedule, Duration interval, Duration window,
            Scheduler scheduler, String provider) {
        this.listing = listing;
        this.reader = reader;
        this.budget = budget;
        this.firstLooks = firstLooks;
        this.schedule = schedule;
        this.interval = interval;
        this.window = window;
        this.scheduler = scheduler;
        this.provider = provider;
    }

    /**
     * Registers {@code id} on subscription and emits its terminal body; unregisters it on any end, cancel
     * included. {@code timedOut} builds the error for {@code maxWait} from the id and the last status seen.
     */
    Mono<Prediction> await(PredictionId id, Duration maxWait, BiFunction<PredictionId, String, Throwable> timedOut) {
        return Mono.defer(() -> {
            Registered registered = register(id, maxWait);
            Watch watch = registered.watch();
            if (registered.lookNow()) {
                read(watch);
            }
            return watch.result.asMono()
                    .timeout(maxWait, Mono.defer(() -> Mono.error(timedOut.apply(id, latestStatus(watch)))),
                            scheduler)
                    .doFinally(signal -> release(watch));
        });
    }

    /** Completes the waiters of {@code terminal}'s id, if any, with it; whether there were any. */
    boolean settle(Prediction terminal) {
        Watch watch;
        synchronized (this) {
            watch = watches.remove(terminal.id());
        }
        if (watch == null) {
            return false;
        }
        watch.result.tryEmitValue(terminal);
        return true;
    }

    long pagesRead() {
        return pagesRead.get();
    }

    /** The id's watch, and whether its first look is to be read now (marked as reading already). */
    private record Registered(Watch watch, boolean lookNow) {
    }

    private synchronized Registered register(PredictionId id, Duration maxWait) {
        Watch watch = watches.get(id);
        if (watch != null) {
            watch.waiters++;
            return new Registered(watch, false);
        }
        Instant now = now();
        watch = new Watch(id, now, now.plus(maxWait));
        if (offReason != null) {
            watch.route = Route.STRAGGLER;
        }
        // a read that would wait on credit is no quicker than the first tick, and would queue ahead of its reads
        boolean lookNow = watches.size() < firstLooks && budget.available() > 0;
        watch.reading = lookNow;
        watch.firstLook = lookNow;
        watches.put(id, watch);
        if (ticking == null) {
            // the first tick soon, not a whole interval on: ids past the first looks (a batch arriving together) are
            // listed within moments
            ticking = Flux.interval(FIRST_TICK.compareTo(interval) < 0 ? FIRST_TICK : interval, interval, scheduler)
                    .onBackpressureDrop()
                    .concatMap(tick -> guardedTick(), 0)
                    .subscribe(null, error -> log.error("poll-by-list tick loop ended; awaited ids wait for max-wait",
                            error));
        }
        return new Registered(watch, lookNow);
    }

    private synchronized void release(Watch watch) {
        if (watches.get(watch.id) == watch && --watch.waiters == 0) {
            watches.remove(watch.id);
            if (watch.read != null) {
                watch.read.dispose();
            }
        }
    }

    private synchronized String latestStatus(Watch watch) {
        return watch.latestStatus();
    }

    /**
     * One tick that cannot end the loop: a failure in planning or absorbing the pages is logged, and the due ids are
     * read alone this tick, so that no awaited id waits for {@code max-wait} behind a board that cannot plan.
     */
    private Mono<Void> guardedTick() {
        Instant tickAt = now();
        return Mono.defer(() -> tick(tickAt)).onErrorResume(error -> {
            log.error("poll-by-list tick failed; reading the due ids alone this tick", error);
            return Mono.fromRunnable(() -> readDue(tickAt, 0, watch -> true))
                    .onErrorResume(readFailed -> {
                        log.error("poll-by-list tick could not start its single reads either", readFailed);
                        return Mono.empty();
                    })
                    .then();
        });
    }

    private Mono<Void> tick(Instant tickAt) {
        ListPlan plan = planList(tickAt);
        if (plan == null) {
            return Mono.fromRunnable(() -> readDue(tickAt, 0, watch -> true));
        }
        List<ListPage> pages = new ArrayList<>();
        return listing.pagesSince(plan.floor())
                .doOnNext(page -> {
                    pagesRead.incrementAndGet();
                    pages.add(page);
                })
                .then(Mono.just(Optional.<Throwable>empty()))
                .onErrorResume(failure -> Mono.just(Optional.of(failure)))
                .map(failure -> refreshed(pages, plan, failure.orElse(null)))
                .doOnNext(readAlone -> readDue(tickAt, pages.size(), readAlone::contains))
                .then();
    }

    /**
     * Takes in the pages this tick read ({@code failure} says why they stopped early, if they did) and returns the
     * due listed ids to read alone this tick: those beyond the plan's reach, and after a listing cut short (a
     * {@code next} refused, a page failing past its retries) also the covered ids the pages read did not show,
     * which may lie beyond the page that could not be read.
     */
    private Set<Watch> refreshed(List<ListPage> pages, ListPlan plan, Throwable failure) {
        if (failure == null) {
            run(absorb(pages, plan, now(), null));
            return plan.beyondReach();
        }
        if (failure instanceof ListEndpointUnavailableException || failure instanceof ApiAuthenticationException) {
            run(listEnded(failure));
            return plan.beyondReach();
        }
        Set<Watch> unseen = new HashSet<>();
        run(absorb(pages, plan, now(), unseen));
        logCutShort(pages.size(), unseen.size(), failure);
        unseen.addAll(plan.beyondReach());
        return unseen;
    }

    private synchronized void logCutShort(int pages, int unseen, Throwable failure) {
        if (cutShortLogged) {
            log.debug("list refresh stopped after {} page(s), {} awaited id(s) read alone: {}", pages, unseen,
                    failure.toString());
            return;
        }
        cutShortLogged = true;
        log.warn("list refresh stopped after {} page(s): {}; the {} awaited id(s) it did not reach are read alone "
                + "(logged once; later refreshes that stop early do the same)", pages, failure.getMessage(), unseen);
    }

    /** What this tick pages for; {@code null} when nothing is due, no list, or single reads are cheaper. */
    private synchronized ListPlan planList(Instant now) {
        if (watches.isEmpty()) {
            if (ticking != null) {
                ticking.dispose();
                ticking = null;
            }
            return null;
        }
        if (offReason != null) {
            return null;
        }
        Instant oldestListed = now.minus(window);
        Instant dueBy = dueBy(now);
        List<Watch> due = new ArrayList<>();
        for (Watch watch : watches.values()) {
            if (watch.route == Route.LISTED && watch.reference(UNKNOWN_CREATION_MARGIN).isBefore(oldestListed)) {
                watch.route = Route.STRAGGLER;
            }
            if (watch.route == Route.LISTED && watch.urgent == Urgent.NONE && !watch.reading
                    && !watch.nextLookAt.isAfter(dueBy)) {
                due.add(watch);
            }
        }
        if (due.isEmpty()) {
            return null;
        }
        due.sort(Comparator.comparing((Watch watch) -> watch.reference(UNKNOWN_CREATION_MARGIN)).reversed());
        int reached = cheapestReach(due);
        if (reached < 0) {
            return null;
        }
        Instant floor = due.get(reached).reference(UNKNOWN_CREATION_MARGIN).minus(FLOOR_MARGIN);
        return new ListPlan(floor, Set.copyOf(due.subList(0, reached + 1)),
                Set.copyOf(due.subList(reached + 1, due.size())));
    }

    /**
     * The index of the oldest due id worth reaching by pages: reaching id {@code i} costs its page depth plus one
     * read for every due id beyond it; -1 when reading them all alone is cheapest. Ties go to the deeper reach,
     * which refreshes more.
     */
    private int cheapestReach(List<Watch> newestFirst) {
        int count = newestFirst.size();
        long bestCost = count;
        int best = -1;
        for (int i = 0; i < count; i++) {
            int pages = depths.pagesToReach(newestFirst.get(i).reference(UNKNOWN_CREATION_MARGIN));
            long cost = (long) pages + (count - i - 1);
            if (cost <= bestCost) {
                bestCost = cost;
                best = i;
            }
        }
        return best;
    }

    /**
     * Learns from the pages read; the covered ids they did not show go into {@code unseen} when the listing was cut
     * short ({@code unseen} not null), and are otherwise taken as missing from the list.
     */
    private synchronized List<Runnable> absorb(List<ListPage> pages, ListPlan plan, Instant now, Set<Watch> unseen) {
        List<Runnable> completions = new ArrayList<>();
        Set<Watch> seen = new HashSet<>();
        Instant newest = null;
        List<Instant> pageEnds = new ArrayList<>();
        for (ListPage page : pages) {
            for (Prediction entry : page.results()) {
                if (newest == null) {
                    newest = entry.createdAt();
                }
                Watch watch = watches.get(entry.id());
                if (watch != null && watch.urgent == Urgent.NONE && !watch.reading) {
                    seen.add(watch);
                    learn(watch, entry, now, completions);
                }
            }
            if (!page.results().isEmpty() && page.results().get(page.results().size() - 1).createdAt() != null) {
                pageEnds.add(page.results().get(page.results().size() - 1).createdAt());
            }
        }
        if (newest != null && !pageEnds.isEmpty()) {
            boolean endOfList = pages.get(pages.size() - 1).next() == null;
            depths = new PageDepths(newest, pageEnds, endOfList ? Instant.MIN : plan.floor());
        }
        for (Watch missing : plan.covered()) {
            if (seen.contains(missing) || watches.get(missing.id) != missing || missing.reading) {
                continue;
            }
            if (unseen != null) {
                unseen.add(missing);
            } else if (missing.createdAt == null) {
                missing.urgent = Urgent.UNLISTED;
            } else {
                log.debug("{} is not in the list although created {}; reading it alone from now on", missing.id,
                        missing.createdAt);
                missing.route = Route.STRAGGLER;
            }
        }
        return completions;
    }

    private void learn(Watch watch, Prediction entry, Instant now, List<Runnable> completions) {
        if (entry.createdAt() != null) {
            watch.createdAt = entry.createdAt();
        }
        watch.latest = entry;
        if (entry.terminal() && abbreviated(entry)) {
            watch.urgent = Urgent.ABBREVIATED;
        } else if (entry.terminal()) {
            watches.remove(watch.id);
            completions.add(() -> watch.result.tryEmitValue(entry));
        } else {
            watch.nextLookAt = now.plus(schedule.nextDelay(entry, watch.registeredAt, now));
        }
    }

    /** A succeeded list entry without its output: the files to archive are not in it. */
    private static boolean abbreviated(Prediction entry) {
        return entry.succeeded()
                && (entry.output() == null || entry.output().isNull() || entry.output().isMissingNode());
    }

    /** No list endpoint (every id becomes a straggler), or a rejected token (every waiter fails with it). */
    private synchronized List<Runnable> listEnded(Throwable error) {
        if (error instanceof ListEndpointUnavailableException unavailable) {
            offReason = unavailable.getMessage();
            log.warn("poll-by-list off for {}: {}; polling each id", provider, offReason);
            watches.values().forEach(watch -> watch.route = Route.STRAGGLER);
            return List.of();
        }
        List<Watch> all = List.copyOf(watches.values());
        watches.clear();
        return all.stream().<Runnable>map(watch -> () -> watch.result.tryEmitError(error)).toList();
    }

    /**
     * Starts the single reads of this tick, within what the budget can serve before the next one: urgent ids,
     * due stragglers, and the due listed ids that {@code readAlone} accepts. After a list read that is the ones
     * the plan left beyond its reach, not those it covered, nor those registered while the pages were read
     * (the next pages cover them).
     */
    private void readDue(Instant tickAt, int pagesThisTick, Predicate<Watch> readAlone) {
        List<Watch> chosen;
        Instant dueBy = dueBy(tickAt);
        synchronized (this) {
            long allowance = budget.available() + budget.refillOver(interval) - pagesThisTick;
            if (allowance <= 0) {
                return;
            }
            chosen = watches.values().stream()
                    .filter(watch -> !watch.reading)
                    .filter(watch -> watch.urgent != Urgent.NONE
                            || !watch.nextLookAt.isAfter(dueBy)
                            && (watch.route != Route.LISTED || readAlone.test(watch)))
                    .sorted(Comparator.comparing((Watch watch) -> watch.urgent).reversed()
                            .thenComparing(watch -> watch.nextLookAt))
                    .limit(allowance)
                    .toList();
            chosen.forEach(watch -> watch.reading = true);
        }
        chosen.forEach(this::read);
    }

    private void read(Watch watch) {
        Disposable read = reader.apply(watch.id, watch.deadline)
                .subscribe(prediction -> run(readDone(watch, prediction)), error -> run(readFailed(watch, error)));
        synchronized (this) {
            if (watch.reading) {
                watch.read = read;
            }
        }
    }

    private synchronized List<Runnable> readDone(Watch watch, Prediction prediction) {
        watch.reading = false;
        watch.firstLook = false;
        watch.read = null;
        watch.urgent = Urgent.NONE;
        if (watches.get(watch.id) != watch) {
            return List.of();
        }
        if (prediction.terminal()) {
            watches.remove(watch.id);
            return List.of(() -> watch.result.tryEmitValue(prediction));
        }
        Instant now = now();
        watch.latest = prediction;
        if (prediction.createdAt() != null) {
            watch.createdAt = prediction.createdAt();
        }
        watch.nextLookAt = now.plus(schedule.nextDelay(prediction, watch.registeredAt, now));
        return List.of();
    }

    private synchronized List<Runnable> readFailed(Watch watch, Throwable error) {
        watch.reading = false;
        watch.read = null;
        if (watches.get(watch.id) != watch) {
            return List.of();
        }
        if (watch.firstLook && error instanceof ApiUnavailableException) {
            // only a shortcut failed: the list may still show the id, as it would have without the first look
            watch.firstLook = false;
            log.debug("first look at {} failed ({}); watching it by list", watch.id, error.getMessage());
            return List.of();
        }
        watches.remove(watch.id);
        return List.of(() -> watch.result.tryEmitError(error));
    }

    /**
     * The latest next-look time that counts as due at the tick of {@code tickAt}: the nearest tick, not the next
     * one. A look lands after its tick by the latency of the pages before it, so a delay of one interval would
     * otherwise just miss the following tick and wait for the one after, doubling the time between looks.
     */
    private Instant dueBy(Instant tickAt) {
        return tickAt.plus(interval.dividedBy(2));
    }

    private static void run(Collection<Runnable> actions) {
        actions.forEach(Runnable::run);
    }

    private Instant now() {
        return WallTime.of(scheduler);
    }

    /**
     * The creation time this tick pages down to, the due ids that reach covers, and the due ids beyond it, which
     * single reads serve more cheaply than pages.
     */
    private record ListPlan(Instant floor, Set<Watch> covered, Set<Watch> beyondReach) {
    }
}
