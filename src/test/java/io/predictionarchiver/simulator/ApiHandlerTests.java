package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

/** The list endpoint: order, cursor pagination both ways, date filters, abbreviated results. */
class ApiHandlerTests {

    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private ReplicateSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        simulator = ReplicateSimulator.start(SimulatorSettings.builder().clock(clock).listPageSize(2).build());
        client = new SimulatorClient(simulator);
        for (int i = 0; i < 5; i++) {
            simulator.register(SimulatedPrediction.generated("p" + i).createdAt(START.plusSeconds(i)).build());
        }
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void pagesNewestFirstFollowingNextVerbatim() {
        List<String> ids = new ArrayList<>();
        List<JsonNode> pages = new ArrayList<>();
        String next = "/v1/predictions";
        while (next != null) {
            JsonNode page = page(next);
            pages.add(page);
            page.path("results").values().forEach(result -> ids.add(result.path("id").asString()));
            next = page.path("next").isNull() ? null : page.path("next").asString();
        }

        assertThat(ids).containsExactly("p4", "p3", "p2", "p1", "p0");
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).path("previous").isNull()).isTrue();
        assertThat(pages.get(0).path("next").asString()).startsWith(simulator.baseUrl() + "/v1/predictions?cursor=");
        assertThat(pages.get(2).path("next").isNull()).isTrue();
    }

    @Test
    void previousLeadsBackPageByPageToTheFirstWhichHasNone() {
        List<JsonNode> forward = new ArrayList<>();
        String next = "/v1/predictions?created_after=2026-11-20T09:00:00Z";
        while (next != null) {
            JsonNode page = page(next);
            forward.add(page);
            next = page.path("next").isNull() ? null : page.path("next").asString();
        }
        List<List<String>> backward = new ArrayList<>();
        JsonNode page = forward.get(forward.size() - 1);
        while (!page.path("previous").isNull()) {
            String previous = page.path("previous").asString();
            assertThat(previous).startsWith(simulator.baseUrl() + "/v1/predictions?")
                    .contains("created_after=2026-11-20T09:00:00Z");
            page = page(previous);
            backward.add(ids(page));
        }

        assertThat(forward).extracting(ApiHandlerTests::ids)
                .containsExactly(List.of("p4", "p3"), List.of("p2", "p1"), List.of("p0"));
        assertThat(forward.subList(1, 3)).allSatisfy(later -> assertThat(later.path("previous").isString()).isTrue());
        assertThat(backward).containsExactly(List.of("p2", "p1"), List.of("p4", "p3"));
        assertThat(page.path("next").asString()).as("the first page, reached backwards, still leads on")
                .isEqualTo(forward.get(0).path("next").asString());
    }

    @Test
    void previousKeepsItsPlaceWhenNewerPredictionsArrive() {
        JsonNode second = page(page("/v1/predictions").path("next").asString());
        simulator.register(SimulatedPrediction.generated("newest").createdAt(START.plusSeconds(60)).build());

        JsonNode before = page(second.path("previous").asString());
        JsonNode head = page(before.path("previous").asString());

        assertThat(ids(before)).containsExactly("p4", "p3");
        assertThat(ids(head)).containsExactly("newest");
        assertThat(head.path("previous").isNull()).isTrue();
    }

    @Test
    void cursorKeepsItsPlaceWhenNewerPredictionsArrive() {
        JsonNode first = page("/v1/predictions");
        simulator.register(SimulatedPrediction.generated("newest").createdAt(START.plusSeconds(60)).build());
        JsonNode second = page(first.path("next").asString());

        assertThat(ids(second)).containsExactly("p2", "p1");
    }

    @Test
    void createdAfterAndBeforeNarrowTheRangeAcrossPages() {
        JsonNode first = page("/v1/predictions?created_after=2026-11-20T10:00:00Z&created_before=2026-11-20T10:00:04Z");
        JsonNode second = page(first.path("next").asString());

        assertThat(ids(first)).containsExactly("p3", "p2");
        assertThat(first.path("next").asString()).contains("created_after=").contains("created_before=");
        assertThat(ids(second)).containsExactly("p1");
        assertThat(second.path("next").isNull()).isTrue();
    }

    @Test
    void resultsAreAbbreviatedAndCountAsLooksLikePolls() {
        simulator.register(SimulatedPrediction.generated("slow").completesAfterPolls(2)
                .createdAt(START.plusSeconds(30)).build());

        JsonNode newest = page("/v1/predictions").path("results").get(0);

        assertThat(newest.path("id").asString()).isEqualTo("slow");
        assertThat(newest.has("logs")).isFalse();
        assertThat(newest.path("status").asString()).isEqualTo("starting");
        // a client watching by list sees a poll-driven prediction progress as one polling it would
        assertThat(client.prediction("slow").path("status").asString()).isEqualTo("processing");
        assertThat(page("/v1/predictions").path("results").get(0).path("status").asString())
                .isEqualTo("succeeded");
        assertThat(simulator.stats().apiCalls("slow")).isEqualTo(1);
    }

    @Test
    void badCursorOrDateIsA400NamingIt() {
        ResponseEntity<String> badDate = client.get("/v1/predictions?created_after=yesterday");
        ResponseEntity<String> badCursor = client.get("/v1/predictions?cursor=garbage");

        assertThat(badDate.getStatusCode().value()).isEqualTo(400);
        assertThat(badDate.getBody()).contains("created_after").contains("yesterday");
        assertThat(badCursor.getStatusCode().value()).isEqualTo(400);
        assertThat(badCursor.getBody()).contains("garbage");
    }

    @Test
    void pageLinksCanLeadToAnotherHostAndLaterPagesCanFail() {
        simulator.close();
        URI elsewhere = URI.create("http://127.0.0.1:9");
        simulator = ReplicateSimulator.start(SimulatorSettings.builder().clock(clock).listPageSize(2)
                .pageLinkBase(elsewhere).failingLaterPages(true).build());
        client = new SimulatorClient(simulator);
        for (int i = 0; i < 5; i++) {
            simulator.register(SimulatedPrediction.generated("p" + i).createdAt(START.plusSeconds(i)).build());
        }

        String next = page("/v1/predictions").path("next").asString();
        ResponseEntity<String> later = client.get(next.replace(elsewhere.toString(), simulator.baseUrl().toString()));

        assertThat(next).startsWith(elsewhere + "/v1/predictions?cursor=");
        assertThat(later.getStatusCode().value()).isEqualTo(503);
    }

    @Test
    void listRequiresAuthentication() {
        assertThat(client.get("/v1/predictions", null).getStatusCode().value()).isEqualTo(401);
    }

    private JsonNode page(String pathOrUrl) {
        ResponseEntity<String> response = client.get(pathOrUrl);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return SimulatorClient.JSON.readTree(response.getBody());
    }

    private static List<String> ids(JsonNode page) {
        return page.path("results").values().stream().map(result -> result.path("id").asString()).toList();
    }
}
