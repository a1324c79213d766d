package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code simulate} as a user runs it: its own process, until interrupted. */
class SimulateCommandTests {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    @Timeout(120)
    void servesGeneratedPredictionsUntilInterrupted() throws Exception {
        Process simulator = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "simulate", "--port", "0", "--api-latency", "PT0S",
                "--completion", "PT0S..PT0S", "--failure-rate", "0"))
                .redirectErrorStream(true).start();
        try {
            String baseUrl = awaitBaseUrl(simulator);

            HttpResponse<String> prediction = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/predictions/sim-from-cli"))
                            .header("Authorization", "Bearer any").build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(prediction.statusCode()).isEqualTo(200);
            assertThat(prediction.body()).contains("\"id\":\"sim-from-cli\"").contains("\"status\":\"succeeded\"");
        } finally {
            simulator.destroy();
        }
        assertThat(simulator.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    @Test
    void malformedRangeIsAUsageError() {
        ArchiveRun run = ArchiveRun.run("simulate", "--port", "0", "--files", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--files").contains("MIN..MAX");
    }

    private static String awaitBaseUrl(Process process) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                return listening.group(1);
            }
        }
        throw new AssertionError("simulate ended without saying where it listens");
    }
}
