package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import io.predictionarchiver.simulator.SimulatedPrediction.Outcome;
import io.predictionarchiver.simulator.SimulatedPrediction.OutputShape;

import tools.jackson.databind.JsonNode;

class ReplicateSimulatorTests {

    private static final Instant START = Instant.parse("2026-11-20T10:00:10Z");

    private final MutableClock clock = new MutableClock(START);
    private ReplicateSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        startWith(SimulatorSettings.builder().clock(clock));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void startWith(SimulatorSettings.Builder settings) {
        if (simulator != null) {
            simulator.close();
        }
        simulator = ReplicateSimulator.start(settings.build());
        client = new SimulatorClient(simulator);
    }

    @Test
    void listensOnARandomLoopbackPort() {
        assertThat(simulator.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(simulator.baseUrl().getPort()).isPositive();
        assertThat(simulator.describe()).contains(simulator.baseUrl().toString())
                .contains("--archiver.api.base-url=" + simulator.baseUrl())
                .contains("--archiver.download.allowed-hosts=127.0.0.1")
                .contains("--archiver.download.allow-http=true")
                .contains("--archiver.download.allow-private-networks=true");
    }

    @Test
    void statusProgressesWithPollsUntilTheOutcome() {
        simulator.register(SimulatedPrediction.generated("polled").completesAfterPolls(2).files(2).build());

        JsonNode first = client.prediction("polled");
        JsonNode second = client.prediction("polled");
        clock.advance(Duration.ofSeconds(3));
        JsonNode third = client.prediction("polled");

        assertThat(first.path("status").asString()).isEqualTo("starting");
        assertThat(first.path("output").isNull()).isTrue();
        assertThat(second.path("status").asString()).isEqualTo("processing");
        assertThat(second.path("completed_at").isMissingNode()).isTrue();
        assertThat(third.path("status").asString()).isEqualTo("succeeded");
        assertThat(third.path("completed_at").asString()).isEqualTo(START.plusSeconds(3).toString());
        assertThat(third.path("data_removed").asBoolean()).isFalse();
        assertThat(third.path("output").values()).extracting(JsonNode::asString).containsExactly(
                simulator.baseUrl() + "/delivery/replicate.delivery/sim/polled/out-0.webp",
                simulator.baseUrl() + "/delivery/replicate.delivery/sim/polled/out-1.webp");
        assertThat(simulator.stats().apiCalls("polled")).isEqualTo(3);
    }

    @Test
    void statusProgressesWithTheClockWhenCompletionIsTimed() {
        simulator.register(SimulatedPrediction.generated("timed").completesAfter(Duration.ofSeconds(8))
                .outcome(Outcome.FAILED).build());

        String atStart = client.prediction("timed").path("status").asString();
        clock.advance(Duration.ofSeconds(3));
        String midway = client.prediction("timed").path("status").asString();
        clock.advance(Duration.ofSeconds(5));
        JsonNode done = client.prediction("timed");

        assertThat(atStart).isEqualTo("starting");
        assertThat(midway).isEqualTo("processing");
        assertThat(done.path("status").asString()).isEqualTo("failed");
        assertThat(done.path("error").asString()).contains("timed");
        assertThat(done.path("output").isNull()).isTrue();
        assertThat(done.path("completed_at").asString()).isEqualTo(START.plusSeconds(8).toString());
    }

    @Test
    void recordsWhenAnAnswerFirstShowedAPredictionTerminalByListOrByGet() {
        simulator.register(SimulatedPrediction.generated("listed").completesAfter(Duration.ofSeconds(8)).build());
        simulator.register(SimulatedPrediction.generated("read").completesAfter(Duration.ofSeconds(8)).build());

        client.get("/v1/predictions");
        client.prediction("read");
        Optional<Instant> whileRunning = simulator.stats().firstShownTerminal("listed");
        clock.advance(Duration.ofSeconds(10));
        client.prediction("read");
        client.get("/v1/predictions");
        clock.advance(Duration.ofSeconds(5));
        client.get("/v1/predictions");
        client.prediction("read");

        assertThat(whileRunning).isEmpty();
        assertThat(simulator.stats().firstShownTerminal("listed")).contains(START.plusSeconds(10));
        assertThat(simulator.stats().firstShownTerminal("read")).contains(START.plusSeconds(10));
        assertThat(simulator.stats().firstShownTerminal("never-registered")).isEmpty();
    }

    @Test
    void outputTakesTheConfiguredShape() {
        simulator.register(SimulatedPrediction.generated("one").outputShape(OutputShape.STRING).build());
        simulator.register(SimulatedPrediction.generated("obj").outputShape(OutputShape.OBJECT).files(2).build());

        assertThat(client.prediction("one").path("output").asString()).endsWith("/sim/one/out-0.webp");
        JsonNode object = client.prediction("obj").path("output");
        assertThat(object.propertyNames()).containsExactly("output_0", "output_1");
    }

    @Test
    void apiLatencyDelaysButStillAnswers() {
        startWith(SimulatorSettings.builder().clock(clock).apiLatency(Duration.ofMillis(5)));
        simulator.register(SimulatedPrediction.generated("slow").build());

        assertThat(client.prediction("slow").path("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void servesTheAggregatorPathToo() {
        simulator.register(SimulatedPrediction.generated("agg").build());

        ResponseEntity<String> response = client.get("/replicate/v1/predictions/agg");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(SimulatorClient.JSON.readTree(response.getBody()).path("id").asString()).isEqualTo("agg");
    }

    @Test
    void unknownIdAnswers404WithTheApiBody() {
        ResponseEntity<String> response = client.get("/v1/predictions/nope");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(SimulatorClient.JSON.readTree(response.getBody()))
                .isEqualTo(SimulatorClient.JSON.readTree("{\"detail\":\"Not found.\"}"));
    }

    @Test
    void missingOrWrongTokenAnswers401WithTheApiBody() {
        simulator.register(SimulatedPrediction.generated("auth").build());
        ResponseEntity<String> none = client.get("/v1/predictions/auth", null);
        ResponseEntity<String> empty = client.get("/v1/predictions/auth", "Bearer ");
        startWith(SimulatorSettings.builder().clock(clock).expectedToken("r8_right"));
        simulator.register(SimulatedPrediction.generated("auth").build());
        ResponseEntity<String> wrong = client.get("/v1/predictions/auth", "Bearer r8_wrong");
        ResponseEntity<String> right = client.get("/v1/predictions/auth", "Bearer r8_right");

        JsonNode expected = SimulatorClient.JSON.readTree(FixtureLibrary.bytes("error-401.json"));
        for (ResponseEntity<String> refused : List.of(none, empty, wrong)) {
            assertThat(refused.getStatusCode().value()).isEqualTo(401);
            assertThat(SimulatorClient.JSON.readTree(refused.getBody())).isEqualTo(expected);
        }
        assertThat(right.getStatusCode().value()).isEqualTo(200);
        assertThat(simulator.describe()).doesNotContain("r8_right");
    }

    @Test
    void throttledScenarioAnswers429WithRetryAfterInSecondsOrAsGivenThenThePrediction() {
        simulator.register(SimulatedPrediction.generated("storm").throttledCalls(2, Duration.ofSeconds(7)).build());
        simulator.register(SimulatedPrediction.generated("bare").throttledCalls(1, null).build());

        List<ResponseEntity<String>> storm = List.of(client.get("/v1/predictions/storm"),
                client.get("/v1/predictions/storm"), client.get("/v1/predictions/storm"));
        ResponseEntity<String> bare = client.get("/v1/predictions/bare");
        simulator.register(SimulatedPrediction.generated("dated")
                .throttledCallsWithRetryAfter(1, "Sun Nov  6 08:49:37 2094").build());
        ResponseEntity<String> dated = client.get("/v1/predictions/dated");

        String throttleBody = new String(FixtureLibrary.bytes("error-429.json"), StandardCharsets.UTF_8);
        assertThat(storm.get(0).getStatusCode().value()).isEqualTo(429);
        assertThat(storm.get(0).getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(storm.get(0).getBody()).isEqualTo(throttleBody);
        assertThat(storm.get(1).getStatusCode().value()).isEqualTo(429);
        assertThat(storm.get(2).getStatusCode().value()).isEqualTo(200);
        assertThat(bare.getStatusCode().value()).isEqualTo(429);
        assertThat(bare.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(dated.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("Sun Nov  6 08:49:37 2094");
        assertThat(simulator.stats().throttled()).isEqualTo(4);
        assertThat(simulator.stats().apiCalls("storm")).isEqualTo(3);
    }

    @Test
    void failingScenarioAnswersServerErrorsThenThePrediction() {
        simulator.register(SimulatedPrediction.generated("flaky").failingCalls(2, 503).completesAfterPolls(1).build());

        List<ResponseEntity<String>> responses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            responses.add(client.get("/v1/predictions/flaky"));
        }

        assertThat(responses).extracting(response -> response.getStatusCode().value()).containsExactly(503, 503, 200);
        // failed calls are not polls: the first successful one still sees the start
        assertThat(responses.get(2).getBody()).contains("\"status\":\"starting\"");
        assertThat(client.prediction("flaky").path("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void globalRateLimitThrottlesUntilTheMinuteTurns() {
        startWith(SimulatorSettings.builder().clock(clock).requestsPerMinute(2));
        simulator.register(SimulatedPrediction.generated("busy").build());

        int first = client.get("/v1/predictions/busy").getStatusCode().value();
        int second = client.get("/v1/predictions/busy").getStatusCode().value();
        ResponseEntity<String> third = client.get("/v1/predictions/busy");
        clock.advance(Duration.ofSeconds(50));
        int nextMinute = client.get("/v1/predictions/busy").getStatusCode().value();

        assertThat(List.of(first, second)).containsOnly(200);
        assertThat(third.getStatusCode().value()).isEqualTo(429);
        assertThat(third.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("50");
        assertThat(nextMinute).isEqualTo(200);
    }

    @Test
    void unregisteredSimIdsAreGeneratedTheSameWayEveryTime() {
        SimulatorSettings.AutoPredictions allFail = new SimulatorSettings.AutoPredictions(Duration.ZERO,
                Duration.ZERO, 1, 1, 10, 10, 1.0, "image/png");

        JsonNode auto = client.prediction("sim-42");
        List<SimulatedFile> files = simulator.prediction("sim-42").orElseThrow().files();
        ReplicateSimulator other = ReplicateSimulator.start(SimulatorSettings.defaults());
        List<SimulatedFile> sameIdElsewhere = other.prediction("sim-42").orElseThrow().files();
        other.close();
        startWith(SimulatorSettings.builder().clock(clock).autoPredictions(allFail));

        assertThat(auto.path("status").asString()).isEqualTo("starting");
        assertThat(files).isNotEmpty().isEqualTo(sameIdElsewhere);
        assertThat(client.prediction("sim-7").path("status").asString()).isEqualTo("failed");
        assertThat(client.get("/v1/predictions/other-7").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void fixtureCanReachItsWrittenStatusAfterPolls() {
        simulator.register(SimulatedPrediction.fixture("succeeded-array-flux-schnell").toBuilder()
                .completesAfterPolls(2).build());

        List<String> statuses = new ArrayList<>();
        List<Boolean> outputNull = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode body = client.prediction("t2s7f615pdrm40ck09v88sm224");
            statuses.add(body.path("status").asString());
            outputNull.add(body.path("output").isNull());
        }

        assertThat(statuses).containsExactly("starting", "processing", "succeeded");
        assertThat(outputNull).containsExactly(true, true, false);
    }

    @Test
    void expiryRemovesDataAnHourAfterCompletion() {
        simulator.register(SimulatedPrediction.generated("old").build());
        String file = simulator.prediction("old").orElseThrow().files().get(0).path();

        JsonNode fresh = client.prediction("old");
        int freshDelivery = client.get(file, null).getStatusCode().value();
        clock.advance(Duration.ofHours(1));
        JsonNode expired = client.prediction("old");
        int expiredDelivery = client.get(file, null).getStatusCode().value();

        assertThat(fresh.path("data_removed").asBoolean()).isFalse();
        assertThat(freshDelivery).isEqualTo(200);
        assertThat(expired.path("data_removed").asBoolean()).isTrue();
        assertThat(expiredDelivery).isEqualTo(404);
    }
}
