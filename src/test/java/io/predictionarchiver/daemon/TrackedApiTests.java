package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class TrackedApiTests extends DaemonTestBed {

    @Test
    void trackedIdsAreArchivedAndReportedArchivedWithTheirManifest() {
        simulator.register(SimulatedPrediction.generated("tracked-a").completesAfterPolls(2).files(2).build());
        simulator.register(SimulatedPrediction.generated("tracked-b").completesAfterPolls(1).build());
        WebTestClient client = daemon("d1").client();

        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ids\": [\"tracked-a\", \"tracked-b\"]}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(java.util.List.of("tracked-a", "tracked-b"))
                .jsonPath("$.rejected").isEmpty();

        awaitState(client, "tracked-a", "archived");
        client.get().uri("/v1/tracked/tracked-a").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("tracked-a")
                .jsonPath("$.archive_state").isEqualTo("complete")
                .jsonPath("$.manifest_key").isEqualTo("predictions/tracked-a/prediction.json")
                .jsonPath("$.attempts").isEqualTo(1)
                .jsonPath("$.reason").doesNotExist()
                .jsonPath("$.updated_at").isNotEmpty();
        awaitState(client, "tracked-b", "archived");
        assertThat(s3.keys(bucket)).contains("predictions/tracked-a/prediction.json",
                "predictions/tracked-b/prediction.json");
    }

    @Test
    void anEmptyPrefixKeepsTheMarkersApartFromAnIdNamedLikeTheDefaultTrackingFolder() {
        simulator.register(SimulatedPrediction.generated("_tracking").files(2).build());
        WebTestClient client = daemon("d1", "--archiver.s3.prefix=", "--archiver.tracking.prefix=.tracking/")
                .client();

        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": \"_tracking\"}")
                .exchange()
                .expectStatus().isAccepted();

        awaitState(client, "_tracking", "archived");
        client.get().uri("/v1/tracked/_tracking").exchange()
                .expectBody().jsonPath("$.manifest_key").isEqualTo("_tracking/prediction.json");
        assertThat(s3.keys(bucket)).contains("_tracking/prediction.json", ".tracking/done/_tracking.json")
                .allMatch(key -> key.startsWith("_tracking/") || key.startsWith(".tracking/"));
    }

    @Test
    void oneIdMayBeGivenAlone() {
        simulator.register(SimulatedPrediction.generated("single").build());
        WebTestClient client = daemon("d1").client();

        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": \"single\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted[0]").isEqualTo("single");

        awaitState(client, "single", "archived");
    }

    @Test
    void invalidIdsAreRejectedByNameWhileTheValidOnesAreTracked() {
        simulator.register(SimulatedPrediction.generated("valid-one").build());
        WebTestClient client = daemon("d1").client();

        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ids\": [\"valid-one\", \"bad id!\", 42, \"valid-one\"]}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(java.util.List.of("valid-one"))
                .jsonPath("$.rejected[0].id").isEqualTo("bad id!")
                .jsonPath("$.rejected[0].reason").value(reason -> assertThat((String) reason).contains("bad id!"))
                .jsonPath("$.rejected[1].id").isEqualTo("42");

        awaitState(client, "valid-one", "archived");
    }

    @Test
    void aPredictionThatDoesNotExistEndsFailedWithTheReason() {
        WebTestClient client = daemon("d1").client();

        track(client, "no-such-prediction");

        awaitState(client, "no-such-prediction", "failed");
        client.get().uri("/v1/tracked/no-such-prediction").exchange()
                .expectBody()
                .jsonPath("$.reason").value(reason -> assertThat((String) reason).contains("no-such-prediction"))
                .jsonPath("$.manifest_key").doesNotExist();
    }

    @Test
    void anIdFailingForAReasonThatMayPassIsRetriedUntilMaxAttemptsThenEndsFailed() {
        simulator.register(SimulatedPrediction.generated("flaky-api").failingCalls(1_000, 503).build());
        // polled by id: the 503s are answers to the prediction's own GET
        WebTestClient client = daemon("d1", "--archiver.poll.max-retries=1", "--archiver.tracking.max-attempts=3",
                "--archiver.tracking.scan-interval=200ms", "--archiver.poll.by-list=false").client();

        track(client, "flaky-api");

        awaitState(client, "flaky-api", "failed");
        client.get().uri("/v1/tracked/flaky-api").exchange()
                .expectBody()
                .jsonPath("$.attempts").isEqualTo(3)
                .jsonPath("$.reason").value(reason -> assertThat((String) reason).contains("503"));
        assertThat(simulator.stats().apiCalls("flaky-api")).as("two calls (one retry) per attempt").isEqualTo(6);
    }

    @Test
    void malformedRequestsGetProblemDetailsAndTrackNothing() {
        WebTestClient client = daemon("d1", "--archiver.daemon.max-ids-per-request=3",
                "--archiver.daemon.max-request-size=200B").client();

        expectProblem(client, "{\"ids\": [", HttpStatus.BAD_REQUEST, "not valid JSON");
        expectProblem(client, "[\"a\"]", HttpStatus.BAD_REQUEST, "not a JSON object");
        expectProblem(client, "{\"things\": []}", HttpStatus.BAD_REQUEST, "give either \"ids\" or \"id\"");
        expectProblem(client, "{\"ids\": []}", HttpStatus.BAD_REQUEST, "non-empty array");
        expectProblem(client, "{\"ids\": [\"a\", \"b\", \"c\", \"d\"]}", HttpStatus.BAD_REQUEST,
                "archiver.daemon.max-ids-per-request");
        expectProblem(client, "{\"ids\": [\"" + "x".repeat(300) + "\"]}", HttpStatus.CONTENT_TOO_LARGE,
                "archiver.daemon.max-request-size");
        expectProblem(client, "{\"ids\": [\"no good\"]}", HttpStatus.BAD_REQUEST, "no valid id");

        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void onlyAJsonBodyIsAcceptedSoThatNoBrowserCanPostCrossSiteWithoutAPreflight() {
        WebTestClient client = daemon("d1").client();

        for (MediaType simple : new MediaType[] {MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED,
                MediaType.MULTIPART_FORM_DATA}) {
            client.post().uri("/v1/tracked").contentType(simple).bodyValue("{\"ids\": [\"cross-site\"]}")
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                            .contains("takes a JSON body").contains(simple.getType() + "/" + simple.getSubtype()));
        }
        client.get().uri("/v1/tracked/cross-site").exchange().expectStatus().isNotFound();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void anUnknownIdIs404AndAnInvalidOne400() {
        WebTestClient client = daemon("d1").client();

        client.get().uri("/v1/tracked/never-seen").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("prediction never-seen is not tracked")
                .jsonPath("$.instance").isEqualTo("/v1/tracked/never-seen");
        client.get().uri("/v1/tracked/{id}", "a.b").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("a.b"));
    }

    @Test
    void listingPagesThroughTheIdsOfOneState() {
        WebTestClient client = daemon("d1", "--archiver.tracking.scan-interval=1h").client();
        // ids the simulator does not know end failed: a state every one of them reaches
        IntStream.range(0, 5).forEach(i -> track(client, "gone-" + i));
        IntStream.range(0, 5).forEach(i -> awaitState(client, "gone-" + i, "failed"));

        Map<?, ?> first = client.get().uri("/v1/tracked?state=failed&limit=3").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((java.util.List<?>) first.get("items")).hasSize(3);
        String cursor = (String) first.get("next_cursor");
        assertThat(cursor).isNotBlank();
        client.get().uri(builder -> builder.path("/v1/tracked").queryParam("state", "failed")
                        .queryParam("limit", 3).queryParam("cursor", "{cursor}").build(cursor))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].id").isEqualTo("gone-3")
                .jsonPath("$.next_cursor").doesNotExist();
        client.get().uri("/v1/tracked?state=archived").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void listingNeedsAKnownStateAndASaneLimit() {
        WebTestClient client = daemon("d1").client();

        client.get().uri("/v1/tracked").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("state is required"));
        client.get().uri("/v1/tracked?state=done").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("'done'"));
        client.get().uri("/v1/tracked?state=pending&limit=0").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("from 1 to 1000"));
    }

    static void track(WebTestClient client, String id) {
        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\": \"" + id + "\"}")
                .exchange()
                .expectStatus().isAccepted();
    }

    static void awaitState(WebTestClient client, String id, String state) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/v1/tracked/" + id).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo(state));
    }

    private static void expectProblem(WebTestClient client, String body, HttpStatus status, String detailPart) {
        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.instance").isEqualTo("/v1/tracked")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(detailPart));
    }
}
