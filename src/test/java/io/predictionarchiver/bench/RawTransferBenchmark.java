package io.predictionarchiver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

/**
 * One large file from the simulator's delivery route into S3Proxy: the {@code archive} command (forked, start-up
 * and its one API call included) against {@code curl URL | aws s3 cp - s3://...} and {@code rclone copyurl},
 * alternating, {@code bench.rounds} times each, optionally with every delivery connection capped as CDNs cap
 * them. Printed and written to {@code bench/results/}, not asserted. Run with
 * {@code ./mvnw -B test -Pbench -Dtest=RawTransferBenchmark [-Dbench.fileMb=1024] [-Dbench.rounds=2]
 * [-Dbench.bandwidthMBps=20]}.
 */
@Tag("bench")
class RawTransferBenchmark {

    private static final long FILE_BYTES = Long.getLong("bench.fileMb", 1024) * 1024 * 1024;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    /** Cap of each delivery connection in MB/s (10^6 bytes); 0 for none. */
    private static final long BANDWIDTH_MBPS = Long.getLong("bench.bandwidthMBps", 0);
    private static final Duration API_LATENCY = Duration.ofMillis(100);
    private static final Duration FIRST_BYTE_LATENCY = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final String ARCHIVER = "archive (forked JVM)";
    private static final String ARCHIVER_ONE_STREAM = "archive, one stream (--archiver.download.ranges-per-file=1)";

    static TestS3 s3;

    private final List<String> ownTimes = new ArrayList<>();

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void archiverAgainstCurlIntoAwsCliAndRclone() throws IOException {
        ResultsFile results = new ResultsFile("Raw transfer benchmark");
        Path logs = Files.createTempDirectory("raw-transfer");
        boolean rclone = installed("rclone");
        Map<String, List<WatchedProcess.Result>> runs = new LinkedHashMap<>();
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .apiLatency(API_LATENCY).firstByteLatency(FIRST_BYTE_LATENCY)
                .bandwidthBytesPerSecond(BANDWIDTH_MBPS * 1_000_000).build())) {
            String bucket = s3.newBucket();
            for (int round = 0; round < ROUNDS; round++) {
                SimulatedFile archived = file(simulator, "sim-raw-archiver-" + round);
                String id = "sim-raw-archiver-" + round;
                measure(runs, ARCHIVER, bucket, "predictions/" + id + "/" + archived.name(),
                        ForkedArchive.asUsersRunIt(simulator.baseUrl(), s3, bucket, List.of(id)),
                        Map.of(),
                        logs);
                String oneStream = "sim-raw-archiver-one-stream-" + round;
                SimulatedFile oneStreamFile = file(simulator, oneStream);
                measure(runs, ARCHIVER_ONE_STREAM, bucket, "predictions/" + oneStream + "/" + oneStreamFile.name(),
                        ForkedArchive.asUsersRunIt(simulator.baseUrl(), s3, bucket,
                                List.of(oneStream, "--archiver.download.ranges-per-file=1")), Map.of(), logs);
                SimulatedFile piped = file(simulator, "sim-raw-aws-" + round);
                String awsKey = "aws/" + round + "/" + piped.name();
                measure(runs, "curl | aws s3 cp -", bucket, awsKey, List.of("sh", "-c",
                        "curl -sSf '" + simulator.baseUrl() + piped.path() + "' | aws --endpoint-url "
                                + s3.endpoint() + " --region us-east-1 s3 cp - s3://" + bucket + "/" + awsKey),
                        Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()), logs);
                if (rclone) {
                    SimulatedFile copied = file(simulator, "sim-raw-rclone-" + round);
                    String rcloneKey = "rclone/" + round + "/" + copied.name();
                    measure(runs, "rclone copyurl", bucket, rcloneKey, List.of("rclone", "copyurl",
                            simulator.baseUrl() + copied.path(), "bench:" + bucket + "/" + rcloneKey),
                            rcloneEnvironment(), logs);
                }
            }
        }
        results.write(BANDWIDTH_MBPS > 0 ? "raw-transfer-capped" : "raw-transfer", report(runs, rclone));
    }

    private static SimulatedFile file(ReplicateSimulator simulator, String id) {
        SimulatedPrediction prediction = SimulatedPrediction.generated(id).files(1).fileSize(FILE_BYTES)
                .contentType("video/mp4").build();
        simulator.register(prediction);
        return prediction.files().get(0);
    }

    private void measure(Map<String, List<WatchedProcess.Result>> runs, String tool, String bucket,
            String key, List<String> command, Map<String, String> environment, Path logs) {
        Path log = logs.resolve(tool.replaceAll("[^a-z]", "_") + "-" + runs.getOrDefault(tool, List.of()).size());
        flushWrittenPages();
        WatchedProcess.Result result = WatchedProcess.run(command, environment, log, TIMEOUT, line -> { });
        long stored = s3.exists(bucket, key) ? s3.head(bucket, key).contentLength() : -1;
        if (result.exitCode() != 0 || stored != FILE_BYTES) {
            throw new IllegalStateException(tool + " exited " + result.exitCode() + " and stored " + stored
                    + " bytes at " + key + " instead of " + FILE_BYTES + "; see " + log);
        }
        runs.computeIfAbsent(tool, name -> new ArrayList<>()).add(result);
        if (tool.equals(ARCHIVER)) {
            ownTimes.add(String.format("%.1f", ForkedArchive.ownSeconds(log)));
        }
    }

    /*
     * The previous tool's gigabyte is still being written back from the page cache when the next one starts, and
     * the kernel's writeback then competes for the 2 cores with that tool's start-up: each starts on a clean
     * cache instead.
     */
    private static void flushWrittenPages() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> rcloneEnvironment() {
        return Map.of("RCLONE_CONFIG_BENCH_TYPE", "s3",
                "RCLONE_CONFIG_BENCH_PROVIDER", "Other",
                "RCLONE_CONFIG_BENCH_ENDPOINT", s3.endpoint().toString(),
                "RCLONE_CONFIG_BENCH_REGION", "us-east-1",
                "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE", "true",
                "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", s3.accessKey(),
                "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", s3.secretKey(),
                // rclone 1.60 fails on any AWS_CA_BUNDLE ("unsupported transport"); loopback is plain http
                "AWS_CA_BUNDLE", "");
    }

    private static boolean installed(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The transfer defaults as the archiver binds them, so that the scenario never names stale ones. */
    private static String defaults() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("archiver.s3.bucket", "any")));
        S3Properties s3 = binder.bindOrCreate("archiver.s3", S3Properties.class);
        DownloadProperties download = binder.bindOrCreate("archiver.download", DownloadProperties.class);
        return s3.partSize().toMegabytes() + " MB parts, " + s3.partConcurrency() + " parts uploading at once; files "
                + "above " + download.rangeThreshold().toMegabytes() + " MB fetched as " + download.rangesPerFile()
                + " concurrent connections, the first part from the whole answer and each other part one range, "
                + "straight into one multipart upload to the final key, unless their first part arrives faster "
                + "than " + download.oneStreamRate().toMegabytes() + " MB/s, in which case the rest follows on "
                + "that one stream";
    }

    private String report(Map<String, List<WatchedProcess.Result>> runs, boolean rclone) {
        double mib = FILE_BYTES / 1024.0 / 1024.0;
        double archiverBest = best(runs.get(ARCHIVER));
        String cap = BANDWIDTH_MBPS > 0
                ? "each delivery connection capped at " + BANDWIDTH_MBPS + " MB/s, as CDNs cap one connection"
                : "no bandwidth cap";
        StringBuilder out = new StringBuilder(String.format("Scenario: one file of %.0f MiB (generated on the fly by "
                + "the simulator, in the same JVM as S3Proxy), from the simulator's delivery route into S3Proxy "
                + "(filesystem store) on loopback, %d rounds, tools alternating. Simulator: %d ms per API call, "
                + "%d ms to the first byte of every delivery answer, %s; it offers byte ranges (`Accept-Ranges`, "
                + "`ETag`) as delivery CDNs do. The archiver is the real `archive` command in its own JVM at its "
                + "defaults (" + defaults() + "), and again as one "
                + "stream, both run %s; its time includes JVM start-up and exit, the store "
                + "check, one API call and the manifest. curl and rclone read one stream, as they do. Every stored object's length is "
                + "checked; before each run the page cache is flushed (`sync`), so that no tool pays for the writeback of"
                + " the one before. Command: `./mvnw -B test -Pbench -Dtest=RawTransferBenchmark -Dbench.fileMb=%d "
                + "-Dbench.rounds=%d -Dbench.bandwidthMBps=%d%s`.%n%n", mib, ROUNDS, API_LATENCY.toMillis(),
                FIRST_BYTE_LATENCY.toMillis(), cap, ForkedArchive.howUsersRunIt(), FILE_BYTES / 1024 / 1024, ROUNDS, BANDWIDTH_MBPS,
                ForkedArchive.jvmOptionsFlag()));
        out.append("| tool | wall time per round (s) | best (s) | best MiB/s | archiver throughput ÷ tool's "
                        + "| tool's CPU per round (s) | servers' CPU per round (s) |\n")
                .append("|---|---|---:|---:|---:|---|---|\n");
        runs.forEach((tool, results) -> {
            double best = best(results);
            out.append(String.format("| %s | %s | %.1f | %.0f | %.2fx | %s | %s |%n", tool.replace("|", "\\|"),
                    perRound(results, WatchedProcess.Result::wallSeconds), best, mib / best, best / archiverBest,
                    perRound(results, WatchedProcess.Result::cpuSeconds),
                    perRound(results, WatchedProcess.Result::hostCpuSeconds)));
        });
        out.append(String.format("%nCPU: a tool's is its own and that of the processes it waited for (curl and the "
                + "aws CLI for the pipe), user and system; the servers' is the benchmark's JVM meanwhile (the "
                + "simulator generating the file, S3Proxy writing it). The machine has %1$d cores: where a round's "
                + "two together come near %1$d × its wall time, the cores, not the network, bound it.%n",
                Runtime.getRuntime().availableProcessors()));
        out.append(String.format("%nThe archiver's own time per round, from its summary line (JVM start-up and "
                + "Spring context excluded): %s s.%n", ownTimes));
        if (!rclone) {
            out.append("\nrclone was not installed (`apt-get install -y rclone` failed or was not run): no row.\n");
        }
        return out.toString();
    }

    private static List<String> perRound(List<WatchedProcess.Result> results,
            ToDoubleFunction<WatchedProcess.Result> seconds) {
        return results.stream().map(result -> String.format("%.1f", seconds.applyAsDouble(result))).toList();
    }

    private static double best(List<WatchedProcess.Result> results) {
        return results.stream().mapToDouble(WatchedProcess.Result::wallSeconds).min().orElse(Double.NaN);
    }
}
