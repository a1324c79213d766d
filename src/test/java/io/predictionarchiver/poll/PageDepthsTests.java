package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.prediction.Prediction;

/** How many list pages reaching back to a creation time is estimated to cost, from the last refresh. */
class PageDepthsTests {

    private static final Instant NEWEST = Instant.parse("2026-11-20T10:00:00.005Z");
    /** One page holding a batch created within 5 ms: the narrowest span there is to extrapolate from. */
    private static final List<Instant> ONE_NARROW_PAGE = List.of(Instant.parse("2026-11-20T10:00:00Z"));

    @Test
    void withoutARefreshEverythingIsOnePageAway() {
        assertThat(PageDepths.UNKNOWN.pagesToReach(NEWEST.minusSeconds(3600))).isEqualTo(1);
    }

    @Test
    void aCreationTimeTheLastRefreshReachedCostsNoMorePagesThanItReadHoweverNarrowItsSpan() {
        Instant floor = Instant.parse("2026-11-20T09:58:59Z");

        assertThat(new PageDepths(NEWEST, ONE_NARROW_PAGE, floor).pagesToReach(NEWEST.minusSeconds(60)))
                .isEqualTo(1);
        assertThat(new PageDepths(NEWEST, ONE_NARROW_PAGE, Instant.MIN).pagesToReach(NEWEST.minusSeconds(3600)))
                .as("the refresh came to the end of the list").isEqualTo(1);
    }

    @Test
    void beyondWhatTheLastRefreshReachedTheSpanOfItsPagesIsExtrapolated() {
        Instant floor = Instant.parse("2026-11-20T09:59:59Z");

        assertThat(new PageDepths(NEWEST, ONE_NARROW_PAGE, floor).pagesToReach(NEWEST.minusSeconds(60)))
                .isGreaterThan(1000);
    }

    @Test
    void aRefreshTeachesTheNewestCreationTimeAndWhereEachPageEnded() {
        Instant floor = NEWEST.minusSeconds(600);
        List<ListPage> pages = List.of(
                new ListPage(List.of(TestPredictions.listed("a", NEWEST), TestPredictions.listed("b",
                        NEWEST.minusSeconds(100))), "page-2"),
                new ListPage(List.of(TestPredictions.listed("c", NEWEST.minusSeconds(700))), "page-3"));

        assertThat(PageDepths.of(pages, floor)).contains(new PageDepths(NEWEST,
                List.of(NEWEST.minusSeconds(100), NEWEST.minusSeconds(700)), floor));
        List<ListPage> toTheEnd = List.of(pages.get(0), new ListPage(pages.get(1).results(), null));
        assertThat(PageDepths.of(toTheEnd, floor)).as("the refresh came to the end of the list")
                .hasValueSatisfying(depths -> assertThat(depths.reachedBack()).isEqualTo(Instant.MIN));
    }

    @Test
    void pagesWithoutCreationTimesTeachNothing() {
        Prediction undated = TestPredictions.prediction("processing");

        assertThat(PageDepths.of(List.of(new ListPage(List.of(undated), null)), NEWEST)).isEmpty();
        assertThat(PageDepths.of(List.of(new ListPage(List.of(), null)), NEWEST)).isEmpty();
    }
}
