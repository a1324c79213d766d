package io.predictionarchiver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.ForkedArchiver;
import io.predictionarchiver.testsupport.S3RequestCounter;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.tracking.TrackingStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The heap of a forked {@code daemon} with many ids pending in its bucket. Ids are accepted straight into the
 * bucket through {@link TrackingStore} (as {@code POST /v1/tracked} would, without the HTTP), up to each level
 * in turn; at each level a daemon starts on the bucket, claims what its bounds allow and polls it (the
 * simulator's predictions never finish), and after {@link #SETTLE} its heap is read with {@code jcmd GC.run}
 * then {@code jcmd GC.heap_info}.
 */
final class PendingDaemonHeap {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final int ACCEPT_CONCURRENCY = 32;
    private static final String HEAP_LIMIT = "-Xmx256m";
    private static final Pattern STARTED = Pattern.compile("Netty started on port (\\d+)");
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    /** {@code    1:        12345        678901  [B (java.base@17)}: rank, instances, bytes, class. */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+\\d+\\s+\\S");
    private static final int HISTOGRAM_ROWS = 8;

    private final TestS3 s3;
    private final Clock clock;
    private final Path logs;

    PendingDaemonHeap(TestS3 s3, Clock clock, Path logs) {
        this.s3 = s3;
        this.clock = clock;
        this.logs = logs;
    }

    /**
     * One level: the ids pending, how long accepting the new ones took, what the daemon held, and the top of
     * its class histogram after the full GC (the classes holding the most bytes).
     */
    record Measured(int pending, double acceptSeconds, ScanCost scan, long heapUsedKb, long rssKb, long apiCalls,
            List<String> histogramTop) {
    }

    /**
     * The S3 requests of one scan that looks at every id pending, as the daemon's scan does whenever it runs to
     * the end (ids held by other daemons or in hand are looked at too, and cost the same): its LIST requests, its
     * marker reads (GET), and every request it sent.
     */
    record ScanCost(long lists, long gets, long requests) {
    }

    static String describe() {
        return "Scenario 2: ids accepted into the bucket's tracking markers (`_tracking/`, as `POST /v1/tracked` "
                + "does: 3 S3 requests each, 32 at once), then the real `daemon` command forked on that bucket with `"
                + HEAP_LIMIT + "` at its defaults (256 ids polled at once, 8 transferring); the simulator's "
                + "predictions run for 10 h, so every id stays pending or polling. Before each daemon starts, one "
                + "scan pass looks at every id pending (`TrackingStore.activeIds()`, what the daemon's scan lists "
                + "each `archiver.tracking.scan-interval`) through a client that counts S3 requests; claims, which "
                + "read one marker per id claimed, are not part of it. " + SETTLE.toSeconds()
                + " s after the daemon reports Netty started, `jcmd <pid> GC.run` and then `GC.heap_info` give the "
                + "heap used after a full collection; RSS is VmRSS at that moment. Levels are cumulative: the same "
                + "bucket gains ids between daemons.";
    }

    List<Measured> measure(List<Integer> levels) {
        SimulatorSettings.AutoPredictions never = new SimulatorSettings.AutoPredictions(Duration.ofHours(10),
                Duration.ofHours(10), 1, 1, 1024, 1024, 0, "image/webp");
        List<Measured> measured = new ArrayList<>();
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .apiLatency(Duration.ofMillis(100)).autoPredictions(never).build())) {
            String bucket = s3.newBucket();
            S3RequestCounter requests = new S3RequestCounter();
            try (S3AsyncClient client = requests.counted(s3.asyncClient(s3.properties(bucket)))) {
                TrackingStore store = new TrackingStore(client, s3.properties(bucket),
                        TrackingProperties.of("_tracking/", Duration.ofMinutes(5)), JsonMapper.builder().build(),
                        clock);
                int accepted = 0;
                for (int level : levels) {
                    long start = System.nanoTime();
                    Flux.range(accepted, Math.max(0, level - accepted))
                            .flatMap(i -> store.accept(PredictionId.of(String.format("sim-pending-%07d", i))),
                                    ACCEPT_CONCURRENCY)
                            .blockLast(Duration.ofHours(1));
                    double acceptSeconds = (System.nanoTime() - start) / 1e9;
                    accepted = Math.max(accepted, level);
                    measured.add(daemon(simulator, bucket, accepted, acceptSeconds, scan(store, requests)));
                }
            }
        }
        return measured;
    }

    private static ScanCost scan(TrackingStore store, S3RequestCounter requests) {
        requests.reset();
        store.activeIds().blockLast(Duration.ofHours(1));
        return new ScanCost(requests.count("ListObjectsV2", ""), requests.count("GetObject", ""), requests.total());
    }

    private Measured daemon(ReplicateSimulator simulator, String bucket, int pending, double acceptSeconds,
            ScanCost scan) {
        Path log = logs.resolve("daemon-" + pending + ".log");
        List<String> command = new ArrayList<>(ForkedArchiver.command(List.of("daemon", "--port=0",
                "--archiver.tracking.owner=bench-daemon",
                "--archiver.s3.bucket=" + bucket,
                "--archiver.s3.endpoint=" + s3.endpoint(),
                "--archiver.s3.region=us-east-1",
                "--archiver.api.base-url=" + simulator.baseUrl(),
                "--archiver.api.token=" + ForkedArchive.TOKEN,
                "--archiver.download.allowed-hosts=127.0.0.1",
                "--archiver.download.allow-http=true",
                "--archiver.download.allow-private-networks=true")));
        command.add(1, HEAP_LIMIT);
        try {
            Process daemon = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            try {
                if (!ForkedArchiver.await(Duration.ofMinutes(2), () -> started(log) || !daemon.isAlive())
                        || !daemon.isAlive()) {
                    throw new IllegalStateException("the daemon did not start; see " + log);
                }
                long callsBefore = simulator.stats().apiCalls();
                Mono.delay(SETTLE).block();
                jcmd(daemon.pid(), "GC.run");
                String heap = jcmd(daemon.pid(), "GC.heap_info");
                Matcher used = USED.matcher(heap);
                if (!used.find()) {
                    throw new IllegalStateException("no heap use in: " + heap);
                }
                long rss = Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status")).stream()
                        .filter(line -> line.startsWith("VmRSS:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
                List<String> histogramTop = jcmd(daemon.pid(), "GC.class_histogram").lines()
                        .filter(line -> HISTOGRAM_ROW.matcher(line).find()).limit(HISTOGRAM_ROWS).toList();
                return new Measured(pending, acceptSeconds, scan, Long.parseLong(used.group(1)), rss,
                        simulator.stats().apiCalls() - callsBefore, histogramTop);
            } finally {
                daemon.destroy();
                if (!daemon.waitFor(1, TimeUnit.MINUTES)) {
                    daemon.destroyForcibly();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean started(Path log) {
        try {
            return STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8)).find();
        } catch (IOException e) {
            return false;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(1, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }
}
