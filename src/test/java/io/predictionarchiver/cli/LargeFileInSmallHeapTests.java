package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.demo.EmbeddedS3Server;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded whatever the file size: a 1 GiB output is archived by the real command in a forked
 * JVM whose heap (and so, by default, its direct memory) is capped at 128 MB, eight times smaller than the
 * file. Whole-file buffering anywhere on the path would end in an OutOfMemoryError and a non-zero exit.
 */
class LargeFileInSmallHeapTests {

    private static final long ONE_GIB = 1024L * 1024 * 1024;

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

    @Test
    void oneGibFileIsArchivedByAJvmWith128MbOfHeap() throws Exception {
        SimulatedPrediction big = SimulatedPrediction.generated("huge-1").fileSize(ONE_GIB)
                .contentType("video/mp4").build();
        simulator.register(big);
        String bucket = s3.newBucket();

        Process archiver = fork(bucket, "huge-1");
        boolean exited = archiver.waitFor(10, TimeUnit.MINUTES);

        assertThat(exited).as("archiver finished within 10 minutes").isTrue();
        String output = Files.readString(log);
        assertThat(archiver.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        SimulatedFile file = big.files().get(0);
        String key = "predictions/huge-1/" + file.name();
        assertThat(s3.head(bucket, key).contentLength()).isEqualTo(ONE_GIB);
        assertThat(storedSha256(bucket, key)).isEqualTo(file.sha256Hex());
        assertThat(s3.incompleteUploads(bucket)).isEmpty();
    }

    /**
     * Memory is bounded by bytes, not by a count: 64 transfers at once fit in a 96 MB heap, because each small
     * file takes a buffer of its own size from one budget and a transfer waits for memory rather than exceed it.
     */
    @Test
    void sixtyFourTransfersAtOnceCompleteInA96MbHeap() throws Exception {
        int count = 64;
        List<String> ids = new ArrayList<>();
        // a capped stream keeps each body open long enough for the transfers to overlap
        try (ReplicateSimulator capped = ReplicateSimulator.start(SimulatorSettings.builder()
                .bandwidthBytesPerSecond(4L * 1024 * 1024).build())) {
            for (int i = 0; i < count; i++) {
                String id = "many-" + i;
                capped.register(SimulatedPrediction.generated(id).fileSize((1 + i % 4) * 1024L * 1024).build());
                ids.add(id);
            }
            String bucket = s3.newBucket();
            List<String> args = new ArrayList<>(ids);
            args.add("--transfers=" + count);
            args.add("--concurrency=" + count);
            args.addAll(ArchiveRun.settings(capped, s3, bucket));

            Process archiver = fork("-Xmx96m", "archiver-64", args);
            boolean exited = archiver.waitFor(5, TimeUnit.MINUTES);

            assertThat(exited).as("archiver finished within 5 minutes").isTrue();
            String output = Files.readString(log);
            assertThat(archiver.exitValue()).as(output).isZero();
            assertThat(output).doesNotContain("OutOfMemoryError");
            assertThat(ids).allMatch(id -> s3.exists(bucket, "predictions/" + id + "/prediction.json"));
            assertThat(capped.stats().mostBodiesInFlight()).as("transfers at once")
                    .isGreaterThan(16).isLessThanOrEqualTo(count);
        }
    }

    private static Path log;

    private static Process fork(String bucket, String id) throws IOException {
        List<String> args = new ArrayList<>(List.of(id));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        return fork("-Xmx128m", "archiver-1gib", args);
    }

    private static Process fork(String heap, String name, List<String> archiveArgs) throws IOException {
        log = Files.createTempFile(name, ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Daws.accessKeyId=" + EmbeddedS3Server.ACCESS_KEY,
                "-Daws.secretAccessKey=" + EmbeddedS3Server.SECRET_KEY,
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "archive", "--progress=none"));
        command.addAll(archiveArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String storedSha256(String bucket, String key) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(
                s3.client().getObject(b -> b.bucket(bucket).key(key)), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
