package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * Ctrl-C in the middle of a multipart upload: the real command in its own JVM, interrupted with SIGINT (what
 * a terminal sends on Ctrl-C; {@code Process.destroy()} would send SIGTERM, which runs the same hook but
 * exits 143), must abort the upload, print the summary and exit 130.
 */
class InterruptHookTests {

    private static final long SIZE = 200L * 1024 * 1024;

    private static final TestS3 s3 = S3ProxyServer.shared();
    static ReplicateSimulator simulator;

    @BeforeAll
    static void start() {
        // slow enough that the 200 MB body is still arriving, parts already uploaded, when Ctrl-C comes
        simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .bandwidthBytesPerSecond(4L * 1024 * 1024).build());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void sigintMidTransferAbortsTheUploadPrintsTheSummaryAndExits130(@TempDir Path dir) throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this JVM (a shell without job control started the build in"
                + " the background), and so in the archiver it forks: no JVM can then see a Ctrl-C");
        simulator.register(SimulatedPrediction.generated("ctrl-c-1").fileSize(SIZE).chunked(true)
                .contentType("video/mp4").build());
        String bucket = s3.newBucket();
        List<String> args = new ArrayList<>(List.of("archive", "ctrl-c-1", "--archiver.s3.part-size=5MB"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path output = dir.resolve("archiver.log");
        Process archiver = new ProcessBuilder(ForkedArchiver.command(args))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();

        assertThat(ForkedArchiver.await(Duration.ofMinutes(2), () -> partUploaded(bucket) || !archiver.isAlive()))
                .as("a multipart upload in progress").isTrue();
        assertThat(archiver.isAlive()).as(Files.readString(output)).isTrue();
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(archiver.pid())).start().waitFor()).isZero();

        assertThat(archiver.waitFor(1, TimeUnit.MINUTES)).as("archiver exited").isTrue();
        String printed = Files.readString(output);
        assertThat(archiver.exitValue()).as(printed).isEqualTo(130);
        assertThat(printed).contains("interrupted: stopped taking new ids and cancelled those in flight")
                .contains("  archived                                0")
                .contains("archived 0 (complete 0, partial 0, expired 0, no_files 0), skipped 0 (already archived),"
                        + " failed 0");
        assertThat(s3.keys(bucket)).noneMatch(key -> key.startsWith("predictions/"));
        assertThat(ForkedArchiver.await(Duration.ofSeconds(30), () -> s3.incompleteUploads(bucket).isEmpty()))
                .as("no incomplete upload left; the archiver printed:%n%s", printed).isTrue();
    }

    /** Whether SIGINT is in this process's mask of ignored signals, which every process it starts inherits. */
    private static boolean sigintIgnored() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .anyMatch(line -> (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & 1L << (2 - 1)) != 0);
    }

    /**
     * A part of the file is stored, so the archiver has the upload id: a Ctrl-C while CreateMultipartUpload is
     * still unanswered is another case (see the report on ObjectWriter), not the one this test is about; the
     * store check's own tiny upload, under {@code .archiver-probe/}, is not the file's.
     */
    private static boolean partUploaded(String bucket) {
        return s3.incompleteUploads(bucket).stream().filter(upload -> upload.key().startsWith("predictions/"))
                .anyMatch(upload -> !s3.client().listParts(request -> request
                        .bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().isEmpty());
    }
}
