package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The command line itself: usage, validation before any work, exit codes, where ids come from. */
@ExtendWith(OutputCaptureExtension.class)
class ArchiveCommandTests extends CliTestBed {

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().expectedToken(ArchiveRun.TOKEN).build();
    }

    @Test
    void everyCommandPrintsItsUsage() {
        assertThat(ArchiveRun.run("--help").out()).contains("archive", "demo", "simulate");
        assertThat(ArchiveRun.run("archive", "--help").out()).contains("--ids-file", "--bucket", "Exit status");
        assertThat(ArchiveRun.run("demo", "--help").out()).contains("--dir");
        assertThat(ArchiveRun.run("simulate", "--help").out()).contains("--port");
    }

    @Test
    void invalidIdStopsTheRunBeforeAnyRequest() {
        ArchiveRun run = archive("good-1", "bad/id", "also bad");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("argument 2: invalid prediction id 'bad/id'")
                .contains("argument 3: invalid prediction id 'also bad'");
        assertThat(simulator.stats().apiCalls()).isZero();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void missingBucketIsAConfigurationErrorNamingTheProperty() {
        List<String> args = new ArrayList<>(List.of("archive", "x1"));
        ArchiveRun.settings(simulator, s3, bucket).stream()
                .filter(arg -> !arg.startsWith("--archiver.s3.bucket")).forEach(args::add);

        ArchiveRun run = ArchiveRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("archiver.s3.bucket is required");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void badPropertyValueIsNamedWithTheValue() {
        ArchiveRun run = archive("x1", "--archiver.s3.prefix=no-slash");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("archiver.s3.prefix must be empty or end with '/', but was 'no-slash'");
    }

    @Test
    void unknownOptionIsAUsageErrorWithASuggestion() {
        ArchiveRun run = ArchiveRun.run("archive", "x1", "--bukcet=b");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bukcet").contains("--bucket");
    }

    @Test
    void rejectedTokenFailsFastWithAMessageAboutTheToken() {
        simulator.register(SimulatedPrediction.generated("auth-1").build());
        simulator.register(SimulatedPrediction.generated("auth-2").build());

        ArchiveRun run = archive("auth-1", "auth-2",
                "--archiver.api.token=wrong-token");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("token").contains("archiver.api.token").doesNotContain("wrong-token");
        assertThat(simulator.stats().apiCalls()).as("no retry storm on 401").isLessThanOrEqualTo(2);
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void idsComeFromAFileWithCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        simulator.register(SimulatedPrediction.generated("file-1").build());
        simulator.register(SimulatedPrediction.generated("file-2").build());
        Path ids = Files.writeString(dir.resolve("ids.txt"), "# batch\nfile-1\n\n  file-2  \n");

        ArchiveRun run = archive("--ids-file", ids.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(s3.keys(bucket)).contains("predictions/file-1/prediction.json", "predictions/file-2/prediction.json");
    }

    @Test
    void idsComeFromStdinWithADash() {
        simulator.register(SimulatedPrediction.generated("stdin-1").build());
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream("stdin-1\n".getBytes(StandardCharsets.UTF_8)));
        try {
            ArchiveRun run = archive("--ids-file", "-");
            assertThat(run.exitCode()).as(run.err()).isZero();
        } finally {
            System.setIn(original);
        }
        assertThat(s3.keys(bucket)).contains("predictions/stdin-1/prediction.json");
    }

    @Test
    void predictionNotTerminalWithinMaxWaitIsReportedNotArchived() {
        simulator.register(SimulatedPrediction.generated("slow-1").completesAfterPolls(1_000).build());

        ArchiveRun run = archive("slow-1", "--archiver.poll.max-wait=400ms");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("failed slow-1:").contains("archiver.poll.max-wait");
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void archiveStartsNoWebServer(CapturedOutput output) {
        simulator.register(SimulatedPrediction.generated("plain-1").build());

        ArchiveRun run = archive("plain-1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(output.getAll()).doesNotContain("Netty started").doesNotContain("Tomcat").doesNotContain("Jetty started");
        assertThat(run.err()).contains("archived 1 (complete 1,");
    }
}
