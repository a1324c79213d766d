package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.PredictionId;

/** The planner as a pure function of the watches, the page depths and the budget's permits: no scheduler, no I/O. */
class ListPlannerTests {

    private static final Instant TICK_AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofHours(1);
    private static final long REFILL_PER_TICK = 10;
    /** The last refresh read twenty pages of twenty predictions, one a second: page n ends 20 × n s ago. */
    private static final PageDepths TWENTY_PAGES = twentyPages();

    private final ListPlanner planner = new ListPlanner(INTERVAL, WINDOW, REFILL_PER_TICK);

    @Test
    void pagesReachTheOldestDueIdWhenThatIsCheaperThanReadingThemAlone() {
        List<Watch> watches = new ArrayList<>(List.of(listed("p-10", 10)));
        for (int i = 41; i <= 60; i++) {
            watches.add(listed("p-" + i, i));
        }

        ListPlan plan = planner.plan(watches, TWENTY_PAGES, TICK_AT).orElseThrow();

        assertThat(plan.floor()).as("a second below the oldest, created_after being exclusive")
                .isEqualTo(TICK_AT.minusSeconds(61));
        assertThat(plan.covered()).containsExactlyInAnyOrderElementsOf(watches);
        assertThat(plan.beyondReach()).isEmpty();
    }

    @Test
    void aDueIdTooDeepToBeWorthItsPagesIsLeftBeyondReachForASingleRead() {
        Watch fresh = listed("p-10", 10);
        Watch deep = listed("p-300", 300);

        ListPlan plan = planner.plan(List.of(fresh, deep), TWENTY_PAGES, TICK_AT).orElseThrow();

        // one page and one read, against fifteen pages
        assertThat(plan.covered()).containsExactly(fresh);
        assertThat(plan.beyondReach()).containsExactly(deep);
        assertThat(plan.floor()).isEqualTo(TICK_AT.minusSeconds(11));
    }

    @Test
    void noPagesWhenReadingEveryDueIdAloneIsCheapest() {
        assertThat(planner.plan(List.of(listed("p-300", 300)), TWENTY_PAGES, TICK_AT)).isEmpty();
    }

    @Test
    void withoutARefreshYetOnePageReachesEveryDueIdAndATieGoesToThePage() {
        Watch only = listed("p-300", 300);

        assertThat(planner.plan(List.of(only), PageDepths.UNKNOWN, TICK_AT)).hasValueSatisfying(
                plan -> assertThat(plan.covered()).containsExactly(only));
    }

    @Test
    void anIdWhoseCreationIsUnknownCountsAsCreatedAMinuteBeforeItRegistered() {
        Watch unknown = new Watch(PredictionId.of("fresh"), TICK_AT.minusSeconds(5), TICK_AT.plus(WINDOW));

        ListPlan plan = planner.plan(List.of(unknown), PageDepths.UNKNOWN, TICK_AT).orElseThrow();

        assertThat(plan.floor()).isEqualTo(TICK_AT.minusSeconds(5 + ListPlanner.UNKNOWN_CREATION_MARGIN_SECONDS + 1));
    }

    @Test
    void onlyListedIdsDueByTheNearestTickAndFreeForTheListArePlanned() {
        Watch dueAtTheNearestTick = listed("nearest", 10);
        dueAtTheNearestTick.nextLookAt = TICK_AT.plus(INTERVAL.dividedBy(2));
        Watch dueAtTheNextTick = listed("next", 10);
        dueAtTheNextTick.nextLookAt = TICK_AT.plus(INTERVAL.dividedBy(2)).plusMillis(1);
        Watch beingRead = listed("reading", 10);
        beingRead.reading = true;
        Watch urgent = listed("abbreviated", 10);
        urgent.urgent = Urgent.ABBREVIATED;
        Watch straggler = listed("straggler", 10);
        straggler.route = Route.STRAGGLER;

        ListPlan plan = planner.plan(List.of(dueAtTheNearestTick, dueAtTheNextTick, beingRead, urgent, straggler),
                PageDepths.UNKNOWN, TICK_AT).orElseThrow();

        assertThat(plan.covered()).containsExactly(dueAtTheNearestTick);
        assertThat(planner.plan(List.of(dueAtTheNextTick, beingRead, urgent, straggler), PageDepths.UNKNOWN,
                TICK_AT)).as("nothing due, no pages").isEmpty();
    }

    @Test
    void listedIdsCreatedBeforeTheWindowAreTooOldToListAndAreNotPlanned() {
        Watch old = listed("old", Duration.ofHours(2).toSeconds());
        Watch recent = listed("recent", 10);
        Watch oldStraggler = listed("old-straggler", Duration.ofHours(2).toSeconds());
        oldStraggler.route = Route.STRAGGLER;
        // registered 59.5 minutes ago, creation unknown: counted as created a minute before that
        Watch unknownLongAgo = new Watch(PredictionId.of("unknown"), TICK_AT.minusSeconds(3570), TICK_AT.plus(WINDOW));
        List<Watch> watches = List.of(old, recent, oldStraggler, unknownLongAgo);

        assertThat(planner.tooOldToList(watches, TICK_AT)).containsExactlyInAnyOrder(old, unknownLongAgo);
        assertThat(planner.plan(watches, PageDepths.UNKNOWN, TICK_AT)).hasValueSatisfying(
                plan -> assertThat(plan.covered()).containsExactly(recent));
    }

    @Test
    void singleReadsGoToUrgentIdsFirstThenToTheMostOverdue() {
        Watch abbreviated = straggler("abbreviated", 0);
        abbreviated.route = Route.LISTED;
        abbreviated.urgent = Urgent.ABBREVIATED;
        Watch unlisted = straggler("unlisted", 0);
        unlisted.route = Route.LISTED;
        unlisted.urgent = Urgent.UNLISTED;
        Watch longOverdue = straggler("long-overdue", 30);
        Watch justDue = straggler("just-due", 1);
        Watch beyondReach = listed("beyond-reach", 10);
        beyondReach.nextLookAt = TICK_AT.minusSeconds(10);
        Watch covered = listed("covered", 10);
        Watch notDue = straggler("not-due", -3600);
        Watch beingRead = straggler("being-read", 60);
        beingRead.reading = true;
        List<Watch> watches = List.of(justDue, covered, notDue, beingRead, longOverdue, beyondReach, unlisted,
                abbreviated);

        assertThat(planner.singleReads(watches, TICK_AT, 100, 0, Set.of(beyondReach)::contains))
                .containsExactly(abbreviated, unlisted, longOverdue, beyondReach, justDue);
    }

    @Test
    void singleReadsStayWithinThePermitsNowAndOneTicksRefillLessThePagesJustRead() {
        List<Watch> due = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            due.add(straggler("s-" + i, i));
        }

        List<Watch> chosen = planner.singleReads(due, TICK_AT, 3, 5, watch -> true);

        assertThat(chosen).as("3 now + 10 refilled - 5 pages").hasSize(8)
                .allSatisfy(watch -> assertThat(watch.nextLookAt).isBeforeOrEqualTo(TICK_AT.minusSeconds(13)));
        assertThat(planner.singleReads(due, TICK_AT, -10, 0, watch -> true))
                .as("the budget on credit by a tick's refill").isEmpty();
    }

    @Test
    void aPlannerWithoutAnIntervalIsRefusedNamingIt() {
        assertThatThrownBy(() -> new ListPlanner(Duration.ZERO, WINDOW, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interval > 0, window >= 0 and refillPerTick >= 0 required but they were PT0S, PT1H and 1");
    }

    /** A listed id created {@code secondsAgo} before the tick, due at it. */
    private static Watch listed(String id, long secondsAgo) {
        Watch watch = new Watch(PredictionId.of(id), TICK_AT.minusSeconds(5), TICK_AT.plus(WINDOW));
        watch.createdAt = TICK_AT.minusSeconds(secondsAgo);
        return watch;
    }

    /** A straggler whose next look was {@code overdueSeconds} before the tick (negative: after it). */
    private static Watch straggler(String id, long overdueSeconds) {
        Watch watch = listed(id, 7200);
        watch.route = Route.STRAGGLER;
        watch.nextLookAt = TICK_AT.minusSeconds(overdueSeconds);
        return watch;
    }

    private static PageDepths twentyPages() {
        List<Instant> pageEnds = new ArrayList<>();
        for (int page = 1; page <= 20; page++) {
            pageEnds.add(TICK_AT.minusSeconds(20L * page));
        }
        return new PageDepths(TICK_AT.minusSeconds(1), pageEnds, TICK_AT.minusSeconds(401));
    }
}
