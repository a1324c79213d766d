package io.predictionarchiver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

/**
 * Memory of the real command in its own JVM: {@code archive} of one large file under {@code -Xmx128m} (peak RSS
 * from {@code /proc}, heap from the GC log) next to the same command on a 1 MiB file; then a {@code daemon}
 * with many ids pending in the bucket ({@link PendingDaemonHeap}). Printed and written to
 * {@code bench/results/}, not asserted. Run with {@code ./mvnw -B test -Pbench -Dtest=MemoryBenchmark
 * [-Dbench.fileMb=2048] [-Dbench.pending=0,10000,100000]}.
 */
@Tag("bench")
class MemoryBenchmark {

    private static final long FILE_BYTES = Long.getLong("bench.fileMb", 2048) * 1024 * 1024;
    private static final List<Integer> PENDING = List.of(System.getProperty("bench.pending", "0,10000,100000")
            .split(",")).stream().map(String::trim).filter(level -> !level.isEmpty()).map(Integer::valueOf)
            .toList();
    /** Small files transferred at once in scenario 1b: 1 to 16 MiB, 64 of them. */
    private static final int MANY = 64;
    private static final String HEAP_LIMIT = "-Xmx128m";
    /** {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 40M->12M(128M) 3.2ms}: before, after, committed. */
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** One forked {@code archive} of {@code files} files, with what {@code /proc} and the GC log saw. */
    private record Archived(String what, long fileBytes, WatchedProcess.Result run, int collections, long peakHeapMb,
            long heapCommittedMb) {
    }

    @Test
    void largeFileUnderSmallHeapThenPendingIdsInTheDaemon() throws IOException {
        ResultsFile results = new ResultsFile("Memory benchmark");
        Path logs = Files.createTempDirectory("memory-bench");
        List<Archived> archived = new ArrayList<>();
        List<PendingDaemonHeap.Measured> pending;
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .apiLatency(Duration.ofMillis(100)).firstByteLatency(Duration.ofMillis(100)).build())) {
            String bucket = s3.newBucket();
            archived.add(archive(simulator, bucket, List.of(file(simulator, "sim-memory-small", 1024 * 1024)),
                    List.of(), logs));
            archived.add(archive(simulator, bucket, List.of(file(simulator, "sim-memory-large", FILE_BYTES)),
                    List.of(), logs));
            List<String> many = new ArrayList<>();
            for (int i = 0; i < MANY; i++) {
                many.add(file(simulator, "sim-memory-many-" + i, (1 + i % 16) * 1024L * 1024));
            }
            archived.add(archive(simulator, bucket, many, List.of("--transfers=" + MANY, "--concurrency=" + MANY),
                    logs));
        }
        pending = PENDING.isEmpty() ? List.of() : new PendingDaemonHeap(s3, Clock.systemUTC(), logs).measure(PENDING);
        results.write("memory", report(archived, pending));
    }

    private static String file(ReplicateSimulator simulator, String id, long bytes) {
        simulator.register(SimulatedPrediction.generated(id).files(1).fileSize(bytes).contentType("video/mp4")
                .build());
        return id;
    }

    private static Archived archive(ReplicateSimulator simulator, String bucket, List<String> ids,
            List<String> options, Path logs) {
        String id = ids.get(0);
        long bytes = ids.stream()
                .mapToLong(one -> simulator.prediction(one).orElseThrow().files().get(0).size())
                .sum();
        String what = ids.size() == 1 ? String.format("%.0f MiB", bytes / 1024.0 / 1024.0)
                : String.format("%d files, %.0f MiB, all at once", ids.size(), bytes / 1024.0 / 1024.0);
        Path gcLog = logs.resolve(id + "-gc.log");
        Path log = logs.resolve(id + ".log");
        List<String> arguments = new ArrayList<>(ids);
        arguments.addAll(options);
        WatchedProcess.Result run = WatchedProcess.run(ForkedArchive.command(
                List.of(HEAP_LIMIT, "-Xlog:gc:file=" + gcLog), simulator.baseUrl(), s3, bucket, arguments),
                Map.of(), log, Duration.ofMinutes(30), line -> { });
        if (run.exitCode() != 0) {
            throw new IllegalStateException("archive of " + id + " exited " + run.exitCode() + "; see " + log);
        }
        int collections = 0;
        long peakHeap = 0;
        long committed = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher gc = GC_LINE.matcher(line);
                if (gc.find()) {
                    collections++;
                    peakHeap = Math.max(peakHeap, Long.parseLong(gc.group(1)));
                    committed = Math.max(committed, Long.parseLong(gc.group(3)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("no GC log at " + gcLog, e);
        }
        return new Archived(what, bytes, run, collections, peakHeap, committed);
    }

    private static String report(List<Archived> archived, List<PendingDaemonHeap.Measured> pending) {
        StringBuilder out = new StringBuilder(String.format("Scenario 1: the real `archive` command in its own "
                + "JVM with `%s` (G1, the default here), at its defaults (8 MB parts, 4 at once, a buffer budget "
                + "of a quarter of the heap), archiving from the simulator (100 ms per API call and to the first "
                + "byte, no bandwidth cap) into S3Proxy: a 1 MiB file first as the baseline, then one large file, "
                + "then %d predictions of 1 to 16 MiB each with `--transfers=%d` (all at once). Peak RSS: the larger of VmHWM and VmRSS in "
                + "/proc/<pid>/status, read every 20 ms until exit. Heap: the largest \"before\" of the GC log "
                + "(`-Xlog:gc`), the most the heap held when a collection began. Command: `./mvnw -B test -Pbench "
                + "-Dtest=MemoryBenchmark -Dbench.fileMb=%d -Dbench.pending=%s`.%n%n", HEAP_LIMIT, MANY, MANY,
                FILE_BYTES / 1024 / 1024, String.join(",", PENDING.stream().map(String::valueOf).toList())));
        out.append("| files | wall (s) | MiB/s | peak RSS (MiB) | peak heap at a GC (MiB) | heap committed (MiB) |"
                + " GCs |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Archived run : archived) {
            double mib = run.fileBytes() / 1024.0 / 1024.0;
            out.append(String.format("| %s | %.1f | %.0f | %.0f | %d | %d | %d |%n", run.what(),
                    run.run().wallSeconds(), mib / run.run().wallSeconds(), run.run().peakRssMb(),
                    run.peakHeapMb(), run.heapCommittedMb(), run.collections()));
        }
        if (pending.isEmpty()) {
            return out.toString();
        }
        out.append("\n").append(PendingDaemonHeap.describe()).append("\n\n");
        out.append("| ids pending in the bucket | accepted in (s) | one scan: LIST | one scan: GET |"
                + " one scan: S3 requests | heap used after a full GC (MiB) | RSS (MiB) | API calls while measured |"
                + "\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PendingDaemonHeap.Measured measured : pending) {
            out.append(String.format("| %d | %.1f | %d | %d | %d | %.1f | %.0f | %d |%n", measured.pending(),
                    measured.acceptSeconds(), measured.scan().lists(), measured.scan().gets(),
                    measured.scan().requests(), measured.heapUsedKb() / 1024.0, measured.rssKb() / 1024.0,
                    measured.apiCalls()));
        }
        out.append("\nThe classes holding the most bytes after the full GC (`jcmd <pid> GC.class_histogram`: rank, "
                + "instances, bytes, class), per level:\n");
        for (PendingDaemonHeap.Measured measured : pending) {
            out.append(String.format("%n%d ids pending:%n```%n%s%n```%n", measured.pending(),
                    String.join("\n", measured.histogramTop())));
        }
        return out.toString();
    }
}
