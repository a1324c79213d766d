package io.predictionarchiver.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

/** Fixtures: the classpath copies, and how the simulator serves them. */
class FixtureLibraryTests {

    private static final Path SHARED_FIXTURES = Path.of("/work/shared/fixtures");

    private ReplicateSimulator simulator;
    private SimulatorClient client;

    @BeforeEach
    void start() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
        client = new SimulatorClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void classpathCopiesEqualTheSharedFixtures() throws IOException {
        assumeTrue(Files.isDirectory(SHARED_FIXTURES), "shared fixtures are only present in the workspace");
        try (Stream<Path> shared = Files.list(SHARED_FIXTURES)) {
            List<Path> files = shared.toList();
            assertThat(files).isNotEmpty();
            for (Path file : files) {
                assertThat(FixtureLibrary.bytes(file.getFileName().toString()))
                        .as(file.getFileName().toString()).isEqualTo(Files.readAllBytes(file));
            }
        }
    }

    @Test
    void everySharedPredictionFixtureCanBeRegistered() throws IOException {
        assumeTrue(Files.isDirectory(SHARED_FIXTURES), "shared fixtures are only present in the workspace");
        try (Stream<Path> shared = Files.list(SHARED_FIXTURES)) {
            List<String> predictions = shared.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .filter(name -> !name.startsWith("error-") && !name.startsWith("list-")
                            && !name.startsWith("webhook-"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .toList();
            assertThat(SimulatedPrediction.fixtureNames()).containsExactlyInAnyOrderElementsOf(predictions);
        }
    }

    @Test
    void deliveryUrlsAreRewrittenOntoTheSimulatorAndServed() {
        simulator.register(SimulatedPrediction.fixture("succeeded-object-nested"));
        String base = simulator.baseUrl().toString();

        JsonNode output = client.prediction("h8q0rj3z9nrm80ck0hcb0f2x7w").path("output");

        assertThat(output.path("vocals").asString())
                .isEqualTo(base + "/delivery/replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav");
        assertThat(output.path("preview").asString()).isEqualTo(output.path("vocals").asString());
        assertThat(output.path("stems").get(1).path("file").asString())
                .isEqualTo(base + "/delivery/pbxt.replicate.delivery/Qw7e/bass.wav");
        assertThat(output.path("sample_rate").asInt()).isEqualTo(44100);
        assertThat(output.path("notes").asString()).isEqualTo("stems are 24-bit");

        ResponseEntity<String> bass = client.get(output.path("stems").get(1).path("file").asString(), null);
        assertThat(bass.getStatusCode().value()).isEqualTo(200);
        assertThat(bass.getHeaders().getContentType()).hasToString("audio/wav");
        assertThat(SimulatedPrediction.fixture("succeeded-object-nested").files())
                .extracting(SimulatedFile::path).containsExactly(
                        "/delivery/replicate.delivery/pbxt/Mv2hq8Lr/vocals.wav",
                        "/delivery/replicate.delivery/pbxt/Mv2hq8Lr/drums.wav",
                        "/delivery/pbxt.replicate.delivery/Qw7e/bass.wav");
    }

    @Test
    void otherFieldsOfAFixtureAreServedAsWritten() {
        simulator.register(SimulatedPrediction.fixture("succeeded-string-video"));

        JsonNode served = client.prediction("7mx5bq0m3hrmc0ck0hb9tqzq5c");
        JsonNode written = FixtureLibrary.prediction("succeeded-string-video");

        assertThat(served.path("output").asString()).isEqualTo(simulator.baseUrl()
                + "/delivery/replicate.delivery/xezq/Wc3fQn5kqgBd0y1P9ve8RkX1m/output.mp4");
        ((tools.jackson.databind.node.ObjectNode) served).remove("output");
        ((tools.jackson.databind.node.ObjectNode) written).remove("output");
        assertThat(served).isEqualTo(written);
    }

    @Test
    void hostileFixtureAndDataUrisAreServedUnchanged() {
        simulator.register(SimulatedPrediction.fixture("succeeded-hostile-output"));
        simulator.register(SimulatedPrediction.fixture("succeeded-data-uri"));

        JsonNode hostile = client.prediction("hx1");
        JsonNode dataUri = client.prediction("dz5x3r0h7drm80ck0hea0q1t2m");

        assertThat(hostile).isEqualTo(FixtureLibrary.prediction("succeeded-hostile-output"));
        assertThat(dataUri).isEqualTo(FixtureLibrary.prediction("succeeded-data-uri"));
        assertThat(SimulatedPrediction.fixture("succeeded-hostile-output").files()).isEmpty();
    }

    @Test
    void nonTerminalFixtureKeepsItsStatus() {
        simulator.register(SimulatedPrediction.fixture("starting"));

        assertThat(client.prediction("q6ckv4yk1srm80ck0h9ah2a7ew").path("status").asString()).isEqualTo("starting");
    }
}
