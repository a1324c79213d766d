package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

/**
 * The simulator as a local Replicate for the official clients: {@code POST /v1/predictions} creates a prediction
 * that {@code urls.get} then shows running to its end, and {@code urls.cancel} works; over real HTTP.
 */
class PredictionCreationTests {

    private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    /** How unregistered, and so created, predictions behave here: 1 to 5 s, small files, never failing. */
    private static final SimulatorSettings.AutoPredictions SUCCEEDING = new SimulatorSettings.AutoPredictions(
            Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 2, 1024, 4096, 0, "image/webp");
    /** Past the longest run a created prediction has. */
    private static final Duration PAST_ANY_RUN = SUCCEEDING.maxCompletion().plusSeconds(1);

    private final MutableClock clock = new MutableClock(START);
    private ReplicateSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        simulator = ReplicateSimulator.start(SimulatorSettings.builder().clock(clock).autoPredictions(SUCCEEDING).build());
        client = new SimulatorClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aCreatedPredictionStartsShowsItsInputAndRunsToItsOutcomeAtUrlsGet() {
        ResponseEntity<String> created = post("/v1/predictions",
                "{\"version\": \"acme/painter:5c7d5dc6\", \"input\": {\"prompt\": \"a lighthouse\", \"seed\": 7}}");

        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        JsonNode body = SimulatorClient.JSON.readTree(created.getBody());
        String id = body.path("id").asString();
        assertThat(id).matches("[a-z0-9]{26}");
        assertThat(body.path("status").asString()).isEqualTo("starting");
        assertThat(body.path("output").isNull()).isTrue();
        assertThat(body.path("input").path("prompt").asString()).isEqualTo("a lighthouse");
        assertThat(body.path("model").asString()).isEqualTo("acme/painter");
        assertThat(body.path("version").asString()).isEqualTo("5c7d5dc6");
        assertThat(body.path("created_at").asString()).isEqualTo(START.toString());
        assertThat(body.path("urls").path("get").asString()).isEqualTo(simulator.baseUrl() + "/v1/predictions/" + id);
        assertThat(body.path("urls").has("stream")).as("no server-sent events, so not advertised").isFalse();

        clock.advance(PAST_ANY_RUN);
        JsonNode done = SimulatorClient.JSON.readTree(client.get(body.path("urls").path("get").asString()).getBody());

        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("input")).isEqualTo(body.path("input"));
        assertThat(done.path("output").values()).isNotEmpty().allSatisfy(url -> assertThat(
                client.get(url.asString()).getStatusCode().value()).as("%s", url).isEqualTo(200));
        assertThat(client.get("/v1/predictions").getBody()).as("the list shows it").contains(id);
    }

    @Test
    void theModelsRouteCreatesAPredictionOfThatModel() {
        ResponseEntity<String> created = post("/v1/models/acme/painter/predictions", "{\"input\": {}}");

        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        assertThat(SimulatorClient.JSON.readTree(created.getBody()).path("model").asString())
                .isEqualTo("acme/painter");
    }

    @Test
    void urlsCancelEndsARunningPredictionAsCanceledWithoutFiles() {
        JsonNode body = SimulatorClient.JSON.readTree(post("/v1/predictions", "{\"input\": {}}").getBody());
        String id = body.path("id").asString();
        String fileUrl = simulator.baseUrl() + simulator.prediction(id).orElseThrow().files().get(0).path();

        ResponseEntity<String> canceled = post(body.path("urls").path("cancel").asString(), "");
        clock.advance(PAST_ANY_RUN);
        JsonNode after = client.prediction(id);

        assertThat(canceled.getStatusCode().value()).as(canceled.getBody()).isEqualTo(200);
        assertThat(SimulatorClient.JSON.readTree(canceled.getBody()).path("status").asString()).isEqualTo("canceled");
        assertThat(after.path("status").asString()).isEqualTo("canceled");
        assertThat(after.path("output").isNull()).isTrue();
        assertThat(after.path("completed_at").asString()).isEqualTo(START.toString());
        assertThat(client.get(fileUrl).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void aFinishedPredictionStaysAsItWasWhenCanceled() {
        JsonNode body = SimulatorClient.JSON.readTree(post("/v1/predictions", "{\"input\": {}}").getBody());
        clock.advance(PAST_ANY_RUN);
        assertThat(client.prediction(body.path("id").asString()).path("status").asString()).isEqualTo("succeeded");

        ResponseEntity<String> canceled = post(body.path("urls").path("cancel").asString(), "");

        assertThat(SimulatorClient.JSON.readTree(canceled.getBody()).path("status").asString())
                .isEqualTo("succeeded");
    }

    @Test
    void creatingNeedsAnInputObjectAndAToken() {
        assertThat(post("/v1/predictions", "{\"version\": \"x\"}").getStatusCode().value()).isEqualTo(422);
        assertThat(post("/v1/predictions", "not json").getStatusCode().value()).isEqualTo(400);
        assertThat(client.webClient().post().uri("/v1/predictions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\": {}}").exchangeToMono(response -> response.toEntity(String.class))
                .block(Duration.ofSeconds(10)).getStatusCode().value()).isEqualTo(401);
        assertThat(simulator.stats().apiCalls()).isEqualTo(3);
    }

    private ResponseEntity<String> post(String pathOrUrl, String json) {
        return client.webClient().post().uri(pathOrUrl)
                .header(HttpHeaders.AUTHORIZATION, "Bearer test-token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchangeToMono(response -> response.toEntity(String.class))
                .block(Duration.ofSeconds(10));
    }
}
