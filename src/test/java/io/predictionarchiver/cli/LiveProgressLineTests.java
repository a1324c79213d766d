package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.testsupport.ForkedArchiver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live line on a real terminal: the command runs in a tmux pane (a pty) with stdout redirected to a
 * file, as {@code --output json > file} would be, and the pane's screen is read back. Skipped where tmux is
 * not installed.
 */
@EnabledIf("tmuxInstalled")
class LiveProgressLineTests {

    private static final TestS3 s3 = S3ProxyServer.shared();
    static ReplicateSimulator simulator;

    static boolean tmuxInstalled() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeAll
    static void start() {
        // a few seconds of transfer, so that the line is redrawn several times
        simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .bandwidthBytesPerSecond(4L * 1024 * 1024).build());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlaceWithFailuresAboveIt(@TempDir Path dir) throws Exception {
        simulator.register(SimulatedPrediction.generated("live-big").fileSize(12L * 1024 * 1024).build());
        simulator.register(SimulatedPrediction.generated("live-small").files(2).build());
        String bucket = s3.newBucket();
        List<String> args = new ArrayList<>(List.of("archive", "live-big", "live-small", "live-missing",
                "--output=json"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path json = dir.resolve("outcomes.jsonl");
        Path script = Files.writeString(dir.resolve("run.sh"), ForkedArchiver.command(args).stream()
                .map(LiveProgressLineTests::quoted).collect(Collectors.joining(" "))
                + " > " + quoted(json.toString()) + "\necho \"exit $?\"\nexec cat\n");
        String socket = "archiver-test-" + UUID.randomUUID();
        try {
            tmux(socket, "new-session", "-d", "-s", "live", "-x", "150", "-y", "50", "sh " + quoted(script.toString()));

            assertThat(ForkedArchiver.await(Duration.ofMinutes(2), () -> screen(socket).contains("exit ")))
                    .as("the command finished in the pane").isTrue();
            List<String> screen = screen(socket).lines().map(String::stripTrailing).toList();

            assertThat(screen).as(String.join("\n", screen)).contains("exit 1");
            assertThat(screen).filteredOn(line -> line.contains(" ids (")).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("archive 100%").contains("3/3 ids")
                            .contains("| failed 1 | files 3 |"));
            assertThat(screen).anyMatch(line -> line.startsWith("failed live-missing: prediction live-missing"));
            assertThat(screen).noneMatch(line -> line.startsWith("progress:"));
            assertThat(screen).anyMatch(line -> line.startsWith("archived 2 (complete 2,"));
            assertThat(Files.readAllLines(json)).hasSize(3).allMatch(line -> line.startsWith("{\"id\":"));
        } finally {
            tmux(socket, "kill-server");
        }
    }

    private static String screen(String socket) {
        try {
            Process capture = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-J", "-t", "live")
                    .redirectErrorStream(true).start();
            String text = new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            capture.waitFor();
            return text;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void tmux(String socket, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("tmux", "-L", socket));
        line.addAll(List.of(command));
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static String quoted(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
