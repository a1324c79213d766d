package io.predictionarchiver.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeType;

/** {@link Prediction#from(JsonNode)} over every fixture body and over hand-made edge cases. */
class PredictionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What each prediction fixture must parse to; a fixture missing here fails {@link #everyFixtureIsCovered}. */
    private static final Map<String, Expected> PREDICTION_FIXTURES = Map.ofEntries(
            Map.entry("aborted.json", new Expected("b6n2d0kz4srm80ck0hh8r7e1fw", "aborted", true,
                    "2026-11-20T13:20:00Z", "2026-11-20T13:20:30Z", false, JsonNodeType.NULL)),
            Map.entry("canceled.json", new Expected("r1t0a8wq6hrm80ck0hgb3m5n8c", "canceled", true,
                    "2026-11-20T13:10:00Z", "2026-11-20T13:10:05Z", false, JsonNodeType.NULL)),
            Map.entry("failed.json", new Expected("4c9vfm8n1srm80ck0hf9y2d0zr", "failed", true,
                    "2026-11-20T13:00:00Z", "2026-11-20T13:00:01.900Z", false, JsonNodeType.NULL)),
            Map.entry("starting.json", new Expected("q6ckv4yk1srm80ck0h9ah2a7ew", "starting", false,
                    "2026-11-20T09:14:02.118Z", null, false, JsonNodeType.NULL)),
            Map.entry("processing-partial-output.json", new Expected("q6ckv4yk1srm80ck0h9ah2a7ew", "processing",
                    false, "2026-11-20T09:14:02.118Z", null, false, JsonNodeType.ARRAY)),
            Map.entry("succeeded-array-flux-schnell.json", new Expected("t2s7f615pdrm40ck09v88sm224", "succeeded",
                    true, "2024-11-06T17:11:57.619Z", "2024-11-06T17:11:58.232302833Z", false, JsonNodeType.ARRAY)),
            Map.entry("succeeded-data-removed.json", new Expected("e0mz9q3kb5rm80ck0hj8w4p6va", "succeeded", true,
                    "2026-11-19T08:00:00Z", "2026-11-19T08:00:01.400Z", true, JsonNodeType.NULL)),
            Map.entry("succeeded-data-uri.json", new Expected("dz5x3r0h7drm80ck0hea0q1t2m", "succeeded", true,
                    "2026-11-20T12:30:00Z", "2026-11-20T12:30:00.700Z", false, JsonNodeType.ARRAY)),
            Map.entry("succeeded-hostile-output.json", new Expected("hx1", "succeeded", true,
                    "2026-11-20T14:00:00Z", "2026-11-20T14:00:01Z", false, JsonNodeType.ARRAY)),
            Map.entry("succeeded-object-nested.json", new Expected("h8q0rj3z9nrm80ck0hcb0f2x7w", "succeeded", true,
                    "2026-11-20T11:20:00Z", "2026-11-20T11:20:40.250Z", false, JsonNodeType.OBJECT)),
            Map.entry("succeeded-string-video.json", new Expected("7mx5bq0m3hrmc0ck0hb9tqzq5c", "succeeded", true,
                    "2026-11-20T10:02:40.551Z", "2026-11-20T10:06:13.870449Z", false, JsonNodeType.STRING)),
            Map.entry("succeeded-text-tokens.json", new Expected("ybq8f1e2mxrm80ck0hd8kc0e4r", "succeeded", true,
                    "2026-11-20T12:00:00Z", "2026-11-20T12:00:01.100Z", false, JsonNodeType.ARRAY)));

    /** Fixtures that are not a prediction object: error bodies, a list page, webhook headers. */
    private static final List<String> OTHER_FIXTURES = List.of(
            "error-401.json", "error-404.json", "error-429.json", "list-page.json", "webhook-completed.headers.json");

    @Test
    void everyFixtureIsCovered() throws IOException {
        try (Stream<Path> files = Files.list(fixtureDirectory())) {
            List<String> names = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(PREDICTION_FIXTURES.keySet().stream(), OTHER_FIXTURES.stream()).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("predictionFixtures")
    void parsesEveryPredictionFixture(String fixture) {
        Expected expected = PREDICTION_FIXTURES.get(fixture);
        JsonNode body = fixture(fixture);

        Prediction prediction = Prediction.from(body);

        assertThat(prediction.id()).isEqualTo(PredictionId.of(expected.id()));
        assertThat(prediction.status()).isEqualTo(expected.status());
        assertThat(prediction.terminal()).isEqualTo(expected.terminal());
        assertThat(prediction.succeeded()).isEqualTo("succeeded".equals(expected.status()));
        assertThat(prediction.createdAt()).isEqualTo(Instant.parse(expected.createdAt()));
        assertThat(prediction.completedAt())
                .isEqualTo(expected.completedAt() == null ? null : Instant.parse(expected.completedAt()));
        assertThat(prediction.dataRemoved()).isEqualTo(expected.dataRemoved());
        assertThat(prediction.output().getNodeType()).isEqualTo(expected.outputType());
        assertThat(prediction.body()).isSameAs(body);
    }

    @ParameterizedTest
    @MethodSource("otherFixtures")
    void rejectsFixturesThatAreNotPredictions(String fixture) {
        JsonNode body = fixture(fixture);

        assertThatThrownBy(() -> Prediction.from(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction body has no string 'id'");
    }

    @Test
    void parsesEveryResultOfAListPage() {
        List<Prediction> results = fixture("list-page.json").path("results").valueStream()
                .map(Prediction::from)
                .toList();

        assertThat(results).extracting(prediction -> prediction.id().value()).containsExactly(
                "7mx5bq0m3hrmc0ck0hb9tqzq5c", "r1t0a8wq6hrm80ck0hgb3m5n8c", "4c9vfm8n1srm80ck0hf9y2d0zr",
                "q6ckv4yk1srm80ck0h9ah2a7ew");
        assertThat(results).extracting(Prediction::terminal).containsExactly(true, true, true, false);
    }

    @Test
    void parsesTheSignedWebhookBody() throws IOException {
        try (InputStream in = resource("webhook-completed.body")) {
            Prediction prediction = Prediction.from(JSON.readTree(in));

            assertThat(prediction.id().value()).isEqualTo("t2s7f615pdrm40ck09v88sm224");
            assertThat(prediction.terminal()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"succeeded", "failed", "canceled", "aborted"})
    void terminalStatuses(String status) {
        assertThat(parse("{\"id\":\"p1\",\"status\":\"" + status + "\"}").terminal()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"starting", "processing", "queued", "booting", "", "SUCCEEDED", "succeeded "})
    void everyOtherStatusIsStillRunning(String status) {
        Prediction prediction = parse("{\"id\":\"p1\",\"status\":\"" + status + "\"}");

        assertThat(prediction.terminal()).isFalse();
        assertThat(prediction.succeeded()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":\"p1\"}", "{\"id\":\"p1\",\"status\":null}", "{\"id\":\"p1\",\"status\":7}"})
    void missingOrNonTextStatusIsStillRunning(String json) {
        Prediction prediction = parse(json);

        assertThat(prediction.status()).isNull();
        assertThat(prediction.terminal()).isFalse();
    }

    @Test
    void keepsNanosecondFractions() {
        Prediction prediction = parse("{\"id\":\"p1\",\"created_at\":\"2024-11-06T17:11:57.625316416Z\"}");

        assertThat(prediction.createdAt()).isEqualTo(Instant.ofEpochSecond(1730913117L, 625_316_416));
    }

    @Test
    void acceptsNumericOffsets() {
        Prediction prediction = parse("{\"id\":\"p1\",\"created_at\":\"2024-11-06T17:11:57.5+00:00\","
                + "\"completed_at\":\"2024-11-06T19:11:58.000001+02:00\"}");

        assertThat(prediction.createdAt()).isEqualTo(Instant.parse("2024-11-06T17:11:57.500Z"));
        assertThat(prediction.completedAt()).isEqualTo(Instant.parse("2024-11-06T17:11:58.000001Z"));
    }

    @Test
    void acceptsTimestampsWithoutFraction() {
        Prediction prediction = parse("{\"id\":\"p1\",\"created_at\":\"2024-11-06T17:11:57Z\"}");

        assertThat(prediction.createdAt()).isEqualTo(Instant.parse("2024-11-06T17:11:57Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":\"p1\"}", "{\"id\":\"p1\",\"completed_at\":null}",
            "{\"id\":\"p1\",\"completed_at\":\"\"}", "{\"id\":\"p1\",\"completed_at\":\"yesterday\"}",
            "{\"id\":\"p1\",\"completed_at\":1730913117}"})
    void missingNullOrUnreadableCompletedAtIsNull(String json) {
        assertThat(parse(json).completedAt()).isNull();
    }

    @Test
    void dataRemovedDefaultsToFalse() {
        assertThat(parse("{\"id\":\"p1\"}").dataRemoved()).isFalse();
        assertThat(parse("{\"id\":\"p1\",\"data_removed\":null}").dataRemoved()).isFalse();
        assertThat(parse("{\"id\":\"p1\",\"data_removed\":true}").dataRemoved()).isTrue();
    }

    @Test
    void outputIsMissingWhenAbsentAndNullWhenNull() {
        assertThat(parse("{\"id\":\"p1\"}").output().isMissingNode()).isTrue();
        assertThat(parse("{\"id\":\"p1\",\"output\":null}").output().isNull()).isTrue();
        assertThat(parse("{\"id\":\"p1\",\"output\":[\"https://x/a.png\"]}").output().get(0).asString())
                .isEqualTo("https://x/a.png");
    }

    @Test
    void ignoresUnknownFieldsButKeepsThemInTheBody() {
        Prediction prediction = parse("{\"id\":\"p1\",\"status\":\"succeeded\",\"brand_new\":{\"x\":[1,2]},"
                + "\"deadline\":\"2026-01-01T00:00:00Z\"}");

        assertThat(prediction.terminal()).isTrue();
        assertThat(prediction.body().path("brand_new").path("x").get(1).asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"status\":\"succeeded\"}", "{\"id\":null}", "{\"id\":42}", "{\"id\":[\"p1\"]}"})
    void bodyWithoutAStringIdIsRejected(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction body has no string 'id'");
    }

    @Test
    void bodyWithAnInvalidIdIsRejectedQuotingIt() {
        assertThatThrownBy(() -> parse("{\"id\":\"../p1\"}"))
                .isInstanceOf(InvalidPredictionIdException.class)
                .hasMessageContaining("'../p1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"p1\"", "null", "42"})
    void bodyThatIsNotAnObjectIsRejected(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction body is not a JSON object");
    }

    @Test
    void nullBodyIsRejected() {
        assertThatThrownBy(() -> Prediction.from(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction body is not a JSON object");
    }

    static Stream<String> predictionFixtures() {
        return PREDICTION_FIXTURES.keySet().stream().sorted();
    }

    static Stream<String> otherFixtures() {
        return OTHER_FIXTURES.stream();
    }

    private static Prediction parse(String json) {
        return Prediction.from(JSON.readTree(json));
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = resource(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = PredictionTests.class.getResourceAsStream("/fixtures/" + name);
        assertThat(in).as("classpath fixture " + name).isNotNull();
        return in;
    }

    private static Path fixtureDirectory() {
        try {
            return Path.of(PredictionTests.class.getResource("/fixtures/").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Expected(String id, String status, boolean terminal, String createdAt, String completedAt,
            boolean dataRemoved, JsonNodeType outputType) {
    }
}
