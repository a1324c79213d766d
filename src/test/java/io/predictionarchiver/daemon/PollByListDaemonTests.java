package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.DaemonOperationsTests.value;
import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static io.predictionarchiver.daemon.TrackedApiTests.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A daemon started with {@code --archiver.poll.by-list=true}: tracked ids are watched through list pages (fewer
 * API calls than ids under {@code archiver.manifest.record=list}, counted in {@code archiver_list_pages_total}),
 * by default each manifest records the whole prediction the API serves for its id, and a webhook's terminal body
 * settles an id the daemon is awaiting without another call for it.
 */
class PollByListDaemonTests extends DaemonTestBed {

    private static final int IDS = 30;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("poll-by-list-test-secret-32bytes".getBytes(StandardCharsets.US_ASCII));

    @Test
    void trackedIdsAreArchivedInFewerApiCallsThanIdsAndListPagesAreCounted() {
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("listed-%02d", i)).toList();
        // each needs three looks: per-id polling would cost at least 3 calls per id
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(2).build()));
        WebTestClient client = byListDaemon("--archiver.manifest.record=list").client();

        trackAll(client, ids);
        ids.forEach(id -> awaitState(client, id, "archived"));

        assertThat(ids).allSatisfy(id -> assertThat(s3.exists(bucket, "predictions/" + id + "/prediction.json"))
                .as("manifest of %s", id).isTrue());
        long apiCalls = simulator.stats().apiCalls();
        assertThat(apiCalls).as("API calls for %d tracked ids", IDS).isLessThan(IDS);
        String scrape = DaemonOperationsTests.scrape(client);
        assertThat(value(scrape, "archiver_list_pages_total")).isPositive().isLessThanOrEqualTo(apiCalls);
        assertThat(value(scrape, "archiver_polls_total")).isLessThan(IDS);
        assertThat(value(scrape, "archiver_outcomes_total{result=\"archived\"}")).isEqualTo(IDS);
        assertThat(ids).allSatisfy(id -> assertThat(manifest(id).at("/archive/record").asString())
                .as("record of %s", id).isEqualTo("list"));
    }

    @Test
    void byDefaultEveryManifestRecordsTheWholeBodyTheApiServesForItsIdLogsIncluded() {
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("whole-%02d", i)).toList();
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(2).build()));
        WebTestClient client = byListDaemon().client();

        trackAll(client, ids);
        ids.forEach(id -> awaitState(client, id, "archived"));

        assertThat(ids).allSatisfy(id -> assertThat(simulator.stats().apiCalls(id))
                .as("single reads of %s, its whole record among them", id).isPositive());
        assertThat(value(DaemonOperationsTests.scrape(client), "archiver_polls_total"))
                .as("prediction reads: one whole record per id").isGreaterThanOrEqualTo(IDS);
        assertThat(ids).allSatisfy(id -> {
            JsonNode manifest = manifest(id);
            assertThat(manifest.at("/archive/record").asString()).as("record of %s", id).isEqualTo("get");
            assertThat(manifest.get("prediction")).as("prediction of %s", id).isEqualTo(MAPPER.readTree(served(id)));
            assertThat(manifest.at("/prediction/logs").asString()).as("logs of %s", id).isNotEmpty();
        });
    }

    @Test
    void aWebhookDeliveringTheTerminalBodyOfAnAwaitedIdSettlesItWithoutAnotherCall() {
        // never terminal in the API: only the webhook's body can end the wait
        simulator.register(SimulatedPrediction.generated("awaited").completesAfterPolls(1_000_000).build());
        RunningDaemon daemon = byListDaemon("--archiver.webhook.secret=" + SECRET,
                "--archiver.tracking.scan-interval=1h");
        WebTestClient client = daemon.client();
        track(client, "awaited");
        awaitState(client, "awaited", "polling");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                value(DaemonOperationsTests.scrape(client), "archiver_list_pages_total")).isPositive());
        byte[] body = failedBody("awaited");
        long callsForIdBefore = simulator.stats().apiCalls("awaited");

        client.post().uri("/v1/webhooks/replicate")
                .contentType(MediaType.APPLICATION_JSON)
                .headers(http -> WebhookSigner.signed(SECRET, "msg_awaited", WebhookSigner.now(), body)
                        .forEach(http::set))
                .bodyValue(body)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.delivery").isEqualTo("accepted");
        awaitState(client, "awaited", "archived");

        JsonNode manifest = manifest("awaited");
        assertThat(manifest.at("/archive/record").asString()).isEqualTo("webhook");
        assertThat(manifest.get("prediction")).isEqualTo(MAPPER.readTree(body));
        assertThat(manifest.at("/prediction/status").asString()).isEqualTo("failed");
        assertThat(manifest.at("/prediction/error").asString()).isEqualTo("settled by webhook");
        assertThat(simulator.stats().apiCalls("awaited")).as("reads of the awaited id after the webhook")
                .isEqualTo(callsForIdBefore);
    }

    private RunningDaemon byListDaemon(String... more) {
        List<String> arguments = new ArrayList<>(List.of("--archiver.poll.by-list=true",
                "--archiver.poll.list-interval=100ms"));
        arguments.addAll(List.of(more));
        return daemon("d1", arguments.toArray(String[]::new));
    }

    private static void trackAll(WebTestClient client, List<String> ids) {
        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ids.stream().map(id -> "\"" + id + "\"")
                        .collect(Collectors.joining(", ", "{\"ids\": [", "]}")))
                .exchange()
                .expectStatus().isAccepted();
    }

    private JsonNode manifest(String id) {
        return MAPPER.readTree(s3.text(bucket, "predictions/" + id + "/prediction.json"));
    }

    /** The body {@code GET /v1/predictions/{id}} answers now (one call). */
    private byte[] served(String id) {
        return WebTestClient.bindToServer().baseUrl(simulator.baseUrl().toString()).build()
                .get().uri("/v1/predictions/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    /** The prediction as the API shows it now (one GET), turned into the failed body a webhook would carry. */
    private byte[] failedBody(String id) {
        ObjectNode body = (ObjectNode) MAPPER.readTree(served(id));
        assertThat(body.path("status").asString()).isIn("starting", "processing");
        body.put("status", "failed");
        body.put("error", "settled by webhook");
        body.put("completed_at", Instant.now().toString());
        return MAPPER.writeValueAsBytes(body);
    }
}
