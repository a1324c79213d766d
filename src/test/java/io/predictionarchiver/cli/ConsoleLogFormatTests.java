package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.testsupport.ForkedArchiver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped {@code logback.xml}: human lines by default, one JSON object a line with
 * {@code logging.structured.format.console}. Forked, because logging is set up once per JVM, and pointed at
 * the main {@code logback.xml} explicitly, because the test classpath has its own {@code logback-test.xml}.
 */
class ConsoleLogFormatTests {

    private static final TestS3 s3 = S3ProxyServer.shared();
    static ReplicateSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = ReplicateSimulator.start(SimulatorSettings.defaults());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /**
     * Archives a prediction whose first poll is throttled, so that a WARN is logged besides the INFO; polled by
     * id, since the list does not carry a prediction's own throttling.
     */
    private static List<String> stderrOf(Path dir, String id, String... extra) throws Exception {
        simulator.register(SimulatedPrediction.generated(id).throttledCalls(1, null).build());
        String bucket = s3.newBucket();
        List<String> args = new ArrayList<>(List.of("archive", id, "--logging.config=classpath:logback.xml",
                "--archiver.poll.by-list=false"));
        args.addAll(List.of(extra));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path err = Files.createTempFile(dir, "stderr", ".log");
        Process archiver = new ProcessBuilder(ForkedArchiver.command(args))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(archiver.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(archiver.exitValue()).as(Files.readString(err)).isZero();
        return Files.readAllLines(err);
    }

    @Test
    void logLinesAreJsonWhenStructuredFormatIsSet(@TempDir Path dir) throws Exception {
        List<String> lines = stderrOf(dir, "logs-json", "--logging.structured.format.console=ecs");

        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> logs = lines.stream().filter(line -> line.startsWith("{")).map(json::readTree).toList();
        assertThat(logs).extracting(log -> log.get("log").get("level").asString()).contains("INFO", "WARN");
        assertThat(logs).anySatisfy(log -> assertThat(log.get("message").asString()).startsWith("archiving 1 ids"));
        assertThat(logs).allSatisfy(log -> assertThat(log.has("@timestamp")).isTrue());
        assertThat(lines).noneMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT.*\\s(INFO|WARN)\\s.*"));
        assertThat(lines.get(lines.size() - 1)).startsWith("archived 1 (complete 1,");
    }

    @Test
    void logLinesAreHumanByDefault(@TempDir Path dir) throws Exception {
        List<String> lines = stderrOf(dir, "logs-human");

        assertThat(lines).anyMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT.*\\sINFO\\s.*archiving 1 ids.*"));
        assertThat(lines).noneMatch(line -> line.startsWith("{"));
    }
}
