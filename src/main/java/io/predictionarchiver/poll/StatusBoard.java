package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.poll.PageAbsorption.Absorbed;
import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.prediction.WallTime;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Poll-by-list: every awaited id registers here ({@link Watches}), and one tick loop, every {@code listInterval} on
 * the injected scheduler, spends the shared rate budget on them. Each tick reads the pages {@link ListPlanner} plans,
 * takes them in ({@link PageAbsorption}), then starts the single reads the planner chooses within the budget
 * ({@link SingleReads}). A new id may get a first look by single read at once ({@link FirstLooks}).
 *
 * <p><b>List unavailable</b>: when the list endpoint answers 404 or 405, every id becomes a straggler, read alone on
 * its adaptive schedule, and that is logged once. A rejected token fails every waiter (every read would be rejected
 * alike). A refresh cut short (a {@code next} link refused, a page failing past its retries) keeps what the pages
 * before showed, and the due ids it did not reach are read alone that tick, within the same allowance, so that none
 * waits for {@code max-wait} behind a page that cannot be read; that is logged once.
 *
 * <p><b>Errors</b> inside a tick (planning, absorbing pages) are logged and the due ids are read alone that tick;
 * the loop goes on.
 *
 * <p><b>Memory and threads</b>: one {@link Watch} per awaited id and the page depths of the last refresh; one
 * periodic task while any id is awaited, none otherwise. State changes happen under the monitor of the
 * {@link Watches}; waiters are completed outside it.
 */
final class StatusBoard {

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    /** Long enough to take in the ids that arrive together (a bulk job's first batch), short beside a tick. */
    private static final Duration FIRST_TICK = Duration.ofMillis(200);

    private final Watches watches = new Watches();
    private final PredictionListing listing;
    private final RateBudget budget;
    private final FirstLooks firstLooks;
    private final ListPlanner planner;
    private final PageAbsorption absorption;
    private final SingleReads reads;
    private final Duration interval;
    private final Scheduler scheduler;
    private final String provider;
    private final AtomicLong pagesRead = new AtomicLong();

    // guarded by the monitor of watches
    private PageDepths depths = PageDepths.UNKNOWN;
    private Disposable ticking;
    private String offReason;
    private boolean cutShortLogged;

    /**
     * A board paging {@code listing} every {@code interval} for ids created within {@code window}, reading ids alone
     * through {@code reader} (whose retries stop before the instant given), spending {@code budget}.
     */
    StatusBoard(PredictionListing listing, BiFunction<PredictionId, Instant, Mono<Prediction>> reader,
            RateBudget budget, FirstLooks firstLooks, PollSchedule schedule, Duration interval, Duration window,
            Scheduler scheduler, String provider) {
        this.listing = listing;
        this.budget = budget;
        this.firstLooks = firstLooks;
        this.planner = new ListPlanner(interval, window, budget.refillOver(interval));
        this.absorption = new PageAbsorption(schedule);
        this.reads = new SingleReads(watches, reader, schedule, scheduler);
        this.interval = interval;
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
                reads.start(watch);
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
        synchronized (watches) {
            watch = watches.remove(terminal.id());
        }
        if (watch == null) {
            return false;
        }
        watch.end(terminal);
        return true;
    }

    long pagesRead() {
        return pagesRead.get();
    }

    /** The id's watch, and whether its first look is to be read now (marked as reading already). */
    private record Registered(Watch watch, boolean lookNow) {
    }

    private Registered register(PredictionId id, Duration maxWait) {
        synchronized (watches) {
            Watch joined = watches.join(id);
            if (joined != null) {
                return new Registered(joined, false);
            }
            Instant now = now();
            Watch watch = new Watch(id, now, now.plus(maxWait));
            if (offReason != null) {
                watch.route = Route.STRAGGLER;
            }
            boolean lookNow = firstLooks.lookNow(watches.size(), budget.available());
            watch.reading = lookNow;
            watch.firstLook = lookNow;
            watches.add(watch);
            if (ticking == null) {
                // the first tick soon, not a whole interval on: ids past the first looks (a batch arriving
                // together) are listed within moments
                ticking = Flux.interval(FIRST_TICK.compareTo(interval) < 0 ? FIRST_TICK : interval, interval, scheduler)
                        .onBackpressureDrop()
                        .concatMap(tick -> guardedTick(), 0)
                        .subscribe(null, error -> log.error(
                                "poll-by-list tick loop ended; awaited ids wait for max-wait", error));
            }
            return new Registered(watch, lookNow);
        }
    }

    private void release(Watch watch) {
        synchronized (watches) {
            watches.leave(watch);
        }
    }

    private String latestStatus(Watch watch) {
        synchronized (watches) {
            return watch.latestStatus();
        }
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
        Optional<ListPlan> planned = planList(tickAt);
        if (planned.isEmpty()) {
            return Mono.fromRunnable(() -> readDue(tickAt, 0, watch -> true));
        }
        ListPlan plan = planned.get();
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
     * What this tick pages for; empty when nothing is due, no list, or single reads are cheaper. Stops the tick loop
     * once no id is awaited.
     */
    private Optional<ListPlan> planList(Instant tickAt) {
        synchronized (watches) {
            if (watches.isEmpty()) {
                if (ticking != null) {
                    ticking.dispose();
                    ticking = null;
                }
                return Optional.empty();
            }
            if (offReason != null) {
                return Optional.empty();
            }
            planner.tooOldToList(watches.all(), tickAt).forEach(watch -> watch.route = Route.STRAGGLER);
            return planner.plan(watches.all(), depths, tickAt);
        }
    }

    /**
     * Takes in the pages this tick read ({@code failure} says why they stopped early, if they did) and returns the
     * due listed ids to read alone this tick: those beyond the plan's reach, and after a listing cut short also the
     * covered ids the pages read did not show.
     */
    private Set<Watch> refreshed(List<ListPage> pages, ListPlan plan, Throwable failure) {
        if (failure instanceof ListEndpointUnavailableException || failure instanceof ApiAuthenticationException) {
            listEnded(failure);
            return plan.beyondReach();
        }
        Absorbed absorbed;
        synchronized (watches) {
            absorbed = absorption.absorb(pages, plan, watches, now(), failure != null);
            depths = PageDepths.of(pages, plan.floor()).orElse(depths);
        }
        absorbed.ended().forEach(Watch::end);
        if (failure == null) {
            return plan.beyondReach();
        }
        logCutShort(pages.size(), absorbed.unseen().size(), failure);
        Set<Watch> readAlone = new HashSet<>(absorbed.unseen());
        readAlone.addAll(plan.beyondReach());
        return readAlone;
    }

    private void logCutShort(int pages, int unseen, Throwable failure) {
        synchronized (watches) {
            if (cutShortLogged) {
                log.debug("list refresh stopped after {} page(s), {} awaited id(s) read alone: {}", pages, unseen,
                        failure.toString());
                return;
            }
            cutShortLogged = true;
        }
        log.warn("list refresh stopped after {} page(s): {}; the {} awaited id(s) it did not reach are read alone "
                + "(logged once; later refreshes that stop early do the same)", pages, failure.getMessage(), unseen);
    }

    /** No list endpoint (every id becomes a straggler), or a rejected token (every waiter fails with it). */
    private void listEnded(Throwable error) {
        List<Watch> failed;
        synchronized (watches) {
            if (error instanceof ListEndpointUnavailableException unavailable) {
                offReason = unavailable.getMessage();
                log.warn("poll-by-list off for {}: {}; polling each id", provider, offReason);
                watches.all().forEach(watch -> watch.route = Route.STRAGGLER);
                return;
            }
            failed = watches.removeAll();
        }
        failed.forEach(watch -> watch.fail(error));
    }

    /**
     * Starts the single reads the planner chooses for this tick: urgent ids, due stragglers, and the due listed ids
     * that {@code readAlone} accepts. After a list read that is the ones the plan left beyond its reach (and, cut
     * short, those it did not reach), not those it covered, nor those registered while the pages were read (the next
     * pages cover them).
     */
    private void readDue(Instant tickAt, int pagesThisTick, Predicate<Watch> readAlone) {
        List<Watch> chosen;
        synchronized (watches) {
            chosen = planner.singleReads(watches.all(), tickAt, budget.available(), pagesThisTick, readAlone);
            chosen.forEach(watch -> watch.reading = true);
        }
        chosen.forEach(reads::start);
    }

    private Instant now() {
        return WallTime.of(scheduler);
    }
}
