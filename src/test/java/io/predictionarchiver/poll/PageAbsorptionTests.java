package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.poll.PageAbsorption.Absorbed;
import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Taking in list pages, on fixture pages: what each awaited id learns, which waits end, which ids go missing. */
class PageAbsorptionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final PageAbsorption absorption = new PageAbsorption(SCHEDULE);
    private final Watches watches = new Watches();

    @Test
    void aRunningEntryTeachesItsIdItsCreationTimeAndStatusAndMakesItDueAgainOnItsSchedule() {
        Watch watch = awaited("running");
        Prediction entry = entry("running", "processing", 40, false);

        Absorbed absorbed = absorb(List.of(page(entry)), plan(watch), false);

        assertThat(absorbed.ended()).isEmpty();
        assertThat(watches.current(watch)).isTrue();
        assertThat(watch.createdAt).isEqualTo(NOW.minusSeconds(40));
        assertThat(watch.latestStatus()).isEqualTo("processing");
        assertThat(watch.nextLookAt).isEqualTo(NOW.plus(SCHEDULE.nextDelay(entry, watch.registeredAt, NOW)))
                .isAfter(NOW);
    }

    @Test
    void aTerminalEntryEndsTheWaitWithIt() {
        Watch watch = awaited("done");
        Prediction entry = entry("done", "succeeded", 40, true);

        Absorbed absorbed = absorb(List.of(page(entry)), plan(watch), false);

        assertThat(absorbed.ended()).containsExactly(Map.entry(watch, entry));
        assertThat(watches.current(watch)).isFalse();
        absorbed.ended().forEach(Watch::end);
        StepVerifier.create(watch.result.asMono()).expectNext(entry).verifyComplete();
    }

    @Test
    void aSucceededEntryWithoutItsOutputGetsAnUrgentReadWhileAFailedOneEndsTheWait() {
        Watch abbreviated = awaited("abbreviated");
        Watch failed = awaited("failed");

        Absorbed absorbed = absorb(List.of(page(entry("abbreviated", "succeeded", 10, false),
                entry("failed", "failed", 20, false))), plan(abbreviated, failed), false);

        assertThat(abbreviated.urgent).isEqualTo(Urgent.ABBREVIATED);
        assertThat(watches.current(abbreviated)).isTrue();
        assertThat(absorbed.ended()).containsOnlyKeys(failed);
    }

    @Test
    void aCoveredIdACompleteRefreshDidNotShowIsReadAlone() {
        Covered covered = new Covered();

        Absorbed absorbed = covered.absorbShowingOnlyTheFirst(false);

        assertThat(covered.creationUnknown.urgent).as("one read, which learns its creation time")
                .isEqualTo(Urgent.UNLISTED);
        assertThat(covered.creationKnown.route).as("read alone from now on").isEqualTo(Route.STRAGGLER);
        assertThat(covered.shown.route).isEqualTo(Route.LISTED);
        assertThat(covered.shown.urgent).isEqualTo(Urgent.NONE);
        assertThat(absorbed.unseen()).isEmpty();
    }

    @Test
    void afterARefreshCutShortTheCoveredIdsNotShownAreUnseenAndKeepTheirRoute() {
        Covered covered = new Covered();

        Absorbed absorbed = covered.absorbShowingOnlyTheFirst(true);

        assertThat(absorbed.unseen()).containsExactlyInAnyOrder(covered.creationUnknown, covered.creationKnown);
        assertThat(List.of(covered.creationUnknown, covered.creationKnown)).allSatisfy(watch -> {
            assertThat(watch.route).isEqualTo(Route.LISTED);
            assertThat(watch.urgent).isEqualTo(Urgent.NONE);
        });
    }

    @Test
    void anIdBeingReadAloneOrAwaitingAnUrgentReadIsLeftToThatRead() {
        Watch beingRead = awaited("reading");
        beingRead.reading = true;
        Watch urgent = awaited("urgent");
        urgent.urgent = Urgent.ABBREVIATED;
        Watch missingWhileRead = awaited("missing");
        missingWhileRead.reading = true;

        Absorbed absorbed = absorb(List.of(page(entry("reading", "succeeded", 5, true),
                entry("urgent", "processing", 6, false))), plan(beingRead, missingWhileRead), false);

        assertThat(absorbed.ended()).isEmpty();
        assertThat(List.of(beingRead, urgent, missingWhileRead)).allSatisfy(watch -> {
            assertThat(watches.current(watch)).isTrue();
            assertThat(watch.createdAt).isNull();
        });
        assertThat(missingWhileRead.urgent).isEqualTo(Urgent.NONE);
        assertThat(urgent.latest).isNull();
    }

    @Test
    void entriesOfIdsNobodyAwaitsAndCoveredIdsWhoseWaitEndedMeanwhileChangeNothing() {
        Watch settled = awaited("settled");
        watches.remove(settled.id);

        Absorbed absorbed = absorb(List.of(page(entry("stranger", "succeeded", 5, true))), plan(settled), false);

        assertThat(absorbed.ended()).isEmpty();
        assertThat(absorbed.unseen()).isEmpty();
        assertThat(settled.urgent).isEqualTo(Urgent.NONE);
        assertThat(watches.isEmpty()).isTrue();
    }

    /** Three covered ids, of which the page shows only the first; the other two differ in what is known of them. */
    private final class Covered {
        final Watch shown = awaited("shown");
        final Watch creationUnknown = awaited("unknown");
        final Watch creationKnown = awaited("known");

        Covered() {
            creationKnown.createdAt = NOW.minusSeconds(15);
        }

        Absorbed absorbShowingOnlyTheFirst(boolean cutShort) {
            return absorb(List.of(page(entry("shown", "processing", 5, false))),
                    plan(shown, creationUnknown, creationKnown), cutShort);
        }
    }

    private Absorbed absorb(List<ListPage> pages, ListPlan plan, boolean cutShort) {
        synchronized (watches) {
            return absorption.absorb(pages, plan, watches, NOW, cutShort);
        }
    }

    private Watch awaited(String id) {
        Watch watch = new Watch(PredictionId.of(id), NOW.minusSeconds(2), NOW.plus(Duration.ofHours(1)));
        watches.add(watch);
        return watch;
    }

    private static ListPlan plan(Watch... covered) {
        return new ListPlan(NOW.minusSeconds(120), Set.of(covered), Set.of());
    }

    private static ListPage page(Prediction... entries) {
        return new ListPage(List.of(entries), null);
    }

    /** A list entry created {@code secondsAgo}; {@code withOutput} gives it an output URL, else the field is absent. */
    private static Prediction entry(String id, String status, long secondsAgo, boolean withOutput) {
        ObjectNode body = JSON.createObjectNode().put("id", id).put("status", status)
                .put("created_at", NOW.minusSeconds(secondsAgo).toString());
        if (withOutput) {
            body.put("output", "https://replicate.delivery/" + id + ".webp");
        }
        return Prediction.from(body, Prediction.Origin.LIST);
    }
}
