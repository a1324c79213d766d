package io.predictionarchiver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.CompressedClock;
import io.predictionarchiver.simulator.LoadScenario;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.transfer.OutputTransfer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-id polling against poll-by-list, side by side, on the simulator in load mode with S3Proxy as the store.
 * Printed and written to {@code bench/results/}, not asserted. Run with
 * {@code ./mvnw -B test -Pbench -Dtest=PollByListBenchmark [-Dbench.predictions=10000] [-Dbench.factor=60]}.
 *
 * <p>Time: the simulator's clock runs {@code factor} times faster than the wall clock, and the archiver runs on a
 * {@link CompressedScheduler} reading that clock, so every archiver setting keeps its default value in simulated
 * time (2400 calls a simulated minute, a 2 s list interval, ...). Only API latency, a real delay in the
 * simulator, is divided by the factor (100 ms simulated). HTTP, S3 and the JVM itself are not compressed: their
 * real cost counts {@code factor} times over in simulated time, which makes the latencies below pessimistic.
 */
@Tag("bench")
class PollByListBenchmark {

    private static final int PREDICTIONS = Integer.getInteger("bench.predictions", 10_000);
    private static final double FACTOR = Double.parseDouble(System.getProperty("bench.factor", "60"));
    private static final Duration CREATION_WINDOW = Duration.parse(System.getProperty("bench.window", "PT60M"));
    private static final Duration MIN_RUN = Duration.parse(System.getProperty("bench.minRun", "PT2S"));
    /** {@code archiver.poll.list-window}; unset, its default. */
    private static final String LIST_WINDOW = System.getProperty("bench.listWindow", "");
    private static final Duration MAX_RUN = Duration.parse(System.getProperty("bench.maxRun", "PT2M"));
    /** Names a scenario other than the default one in its results file: {@code poll-by-list-<label>-<date>.md}. */
    private static final String LABEL = System.getProperty("bench.label", "");
    private static final Duration API_LATENCY = Duration.ofMillis(100);
    private static final Duration LIST_INTERVAL = Duration.ofSeconds(2);

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void perIdPollingAgainstPollByList() throws IOException {
        LoadScenario load = new LoadScenario(PREDICTIONS, CREATION_WINDOW, MIN_RUN, MAX_RUN, 1, 4096, 8);
        Result perId = run("per-id polling", load, false);
        Result byList = run("poll-by-list", load, true);
        String report = report(load, perId, byList, peakInFlight(load));
        System.out.println(report);
        Path file = Path.of("bench/results/poll-by-list-" + (LABEL.isEmpty() ? "" : LABEL + "-") + LocalDate.now()
                + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
    }

    private Result run(String name, LoadScenario load, boolean byList) {
        CompressedClock clock = new CompressedClock(Instant.now(), FACTOR);
        CompressedScheduler scheduler = new CompressedScheduler(Schedulers.parallel(), clock);
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .clock(clock).apiLatency(API_LATENCY.dividedBy((long) FACTOR)).requestsPerMinute(3000)
                .expiryAfterCompletion(Duration.ofHours(1)).build())) {
            List<LoadScenario.Planned> planned = simulator.load(load, clock.instant().plusSeconds(5));
            String bucket = s3.newBucket();
            S3Properties storage = s3.properties(bucket);
            S3AsyncClient client = s3.asyncClient(storage);
            ApiProperties api = new ApiProperties(null, simulator.baseUrl(), null, null, "bench", 2400, 20,
                    Duration.ofSeconds(30));
            PollProperties defaults = new PollProperties(PREDICTIONS, Duration.ofSeconds(1), Duration.ofSeconds(30),
                    Duration.ofHours(2), 8, Duration.ofSeconds(1), Duration.ofSeconds(60));
            PollProperties poll = new PollProperties(defaults.concurrency(), defaults.minInterval(),
                    defaults.maxInterval(), defaults.maxWait(), defaults.maxRetries(), defaults.retryMinBackoff(),
                    defaults.retryMaxBackoff(), byList, LIST_INTERVAL,
                    LIST_WINDOW.isEmpty() ? defaults.listWindow() : Duration.parse(LIST_WINDOW));
            DownloadProperties download = new DownloadProperties(List.of("127.0.0.1"), true, true, 16,
                    DataSize.ofGigabytes(1), 2, 5, Duration.ofSeconds(5), Duration.ofSeconds(30));
            try (OutputTransfer transfer = OutputTransfer.create(client, storage, download, WebClient.builder(),
                    Schedulers.parallel())) {
                PredictionPoller poller = PredictionPoller.create(api, poll, WebClient.builder(), scheduler);
                ArchivePipeline pipeline = new ArchivePipeline(new ManifestStore(client, storage,
                        JsonMapper.builder().build(), Clock.systemUTC(), "bench"), poller, transfer, PREDICTIONS, 16);
                Map<String, Instant> archivedAt = new ConcurrentHashMap<>();
                AtomicLong lost = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                // ids arrive as they are created, as a daemon or a queue would hand them over
                Flux<PredictionId> ids = Flux.fromIterable(planned).concatMap(prediction -> Mono.delay(
                        positive(Duration.between(clock.instant(), prediction.createdAt())), scheduler)
                        .thenReturn(PredictionId.of(prediction.id())));
                long wallStart = System.nanoTime();
                pipeline.archive(ids).doOnNext(outcome -> {
                    archivedAt.put(outcome.id().value(), clock.instant());
                    if (outcome.result() == ArchiveOutcome.Result.FAILED) {
                        failed.incrementAndGet();
                    } else if (outcome.state() != ArchiveState.COMPLETE) {
                        lost.incrementAndGet();
                    }
                }).blockLast(Duration.ofMinutes(30));
                Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);
                List<Double> latencies = new ArrayList<>();
                for (LoadScenario.Planned prediction : planned) {
                    Instant at = archivedAt.get(prediction.id());
                    if (at != null) {
                        latencies.add(Duration.between(prediction.completedAt(), at).toMillis() / 1000.0);
                    }
                }
                latencies.sort(Double::compare);
                client.close();
                return new Result(name, simulator.stats().apiCalls(), simulator.stats().throttled(),
                        poller.listPagesRead(), archivedAt.size() - failed.get(), failed.get(), lost.get(),
                        latencies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        latencies.isEmpty() ? Double.NaN : latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1),
                        wall);
            }
        }
    }

    /** The most predictions running at one moment of the scenario. */
    private static int peakInFlight(LoadScenario load) {
        List<Map.Entry<Instant, Integer>> changes = new ArrayList<>();
        for (LoadScenario.Planned prediction : load.plan(Instant.EPOCH)) {
            changes.add(Map.entry(prediction.createdAt(), 1));
            changes.add(Map.entry(prediction.completedAt(), -1));
        }
        changes.sort(Map.Entry.<Instant, Integer>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        int running = 0;
        int peak = 0;
        for (Map.Entry<Instant, Integer> change : changes) {
            running += change.getValue();
            peak = Math.max(peak, running);
        }
        return peak;
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private record Result(String name, long apiCalls, long throttled, long listPages, long archived, long failed,
            long lost, double meanSeconds, double p95Seconds, Duration wall) {

        double callsPerArchived() {
            return archived == 0 ? Double.NaN : (double) apiCalls / archived;
        }
    }

    private static String report(LoadScenario load, Result perId, Result byList, int peakInFlight)
            throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        StringBuilder out = new StringBuilder();
        out.append("# Poll-by-list benchmark, ").append(LocalDate.now()).append("\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(cpu)
                .append("; JVM ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append("\n\n");
        out.append(String.format("Scenario: %d predictions created evenly over %s (simulated), each running %s to %s "
                + "(log-uniform, seed %d; at most %d running at once), 1 file of 4 KiB each, files expiring 1 h after completion; simulator "
                + "rate limit 3000 calls/min (429 beyond), 100 ms per API call, list pages of 100. Archiver "
                + "defaults: 2400 calls/min, burst 20, list interval 2 s, min/max poll interval 1 s/30 s; ids handed "
                + "over as they are created; archiver.poll.concurrency = %d. Time compressed %.0fx: the simulator "
                + "clock and the archiver's scheduler run %.0fx faster than the wall clock, so every setting keeps "
                + "its real value in simulated time; only the API latency is divided by the factor. Command: "
                + "`./mvnw -B test -Pbench -Dtest=PollByListBenchmark -Dbench.predictions=%d -Dbench.factor=%.0f "
                + "-Dbench.window=%s -Dbench.minRun=%s -Dbench.maxRun=%s%s%s`.\n\n", load.predictions(), CREATION_WINDOW,
                MIN_RUN, MAX_RUN, load.seed(), peakInFlight, PREDICTIONS, FACTOR, FACTOR, PREDICTIONS, FACTOR,
                CREATION_WINDOW, MIN_RUN, MAX_RUN, LIST_WINDOW.isEmpty() ? "" : " -Dbench.listWindow=" + LIST_WINDOW,
                LABEL.isEmpty() ? "" : " -Dbench.label=" + LABEL));
        out.append("| | per-id polling | poll-by-list | ratio |\n|---|---:|---:|---:|\n");
        row(out, "API calls (list pages)", perId.apiCalls() + " (" + perId.listPages() + ")",
                byList.apiCalls() + " (" + byList.listPages() + ")",
                ratio(perId.apiCalls(), byList.apiCalls()));
        row(out, "API calls per archived prediction", fmt(perId.callsPerArchived()), fmt(byList.callsPerArchived()),
                ratio(perId.callsPerArchived(), byList.callsPerArchived()));
        row(out, "completion → archived, mean (simulated s)", fmt(perId.meanSeconds()), fmt(byList.meanSeconds()),
                ratio(perId.meanSeconds(), byList.meanSeconds()));
        row(out, "completion → archived, p95 (simulated s)", fmt(perId.p95Seconds()), fmt(byList.p95Seconds()),
                ratio(perId.p95Seconds(), byList.p95Seconds()));
        row(out, "files lost to expiry", perId.lost(), byList.lost(), "");
        row(out, "ids failed", perId.failed(), byList.failed(), "");
        row(out, "429s from the simulator", perId.throttled(), byList.throttled(), "");
        row(out, "wall time (s)", fmt(perId.wall().toMillis() / 1000.0), fmt(byList.wall().toMillis() / 1000.0), "");
        double ticks = (CREATION_WINDOW.plus(MAX_RUN).toMillis() / (double) LIST_INTERVAL.toMillis());
        double perMinute = PREDICTIONS / (CREATION_WINDOW.toMillis() / 60_000.0);
        out.append(String.format("%nTheoretical bounds for poll-by-list: at least one list page per tick while "
                + "anything is watched, so calls ≥ ticks × pages per tick / predictions = %.0f × 1 / %d = %.3f per "
                + "prediction (more pages when running predictions reach below the first page: %.0f predictions a "
                + "simulated minute × up to %s running = up to %.0f entries deep); detection waits for the next tick, "
                + "so completion → archived ≥ list interval / 2 = %.1f s on average and up to %.1f s, plus one API "
                + "call (0.1 s), the transfer and the manifest. Per-id polling needs ≥ 1 call per prediction (its "
                + "last read) and polls running predictions every max(1 s, 0.2 × age).%n", ticks, PREDICTIONS,
                ticks / PREDICTIONS, perMinute, MAX_RUN, Math.min(PREDICTIONS, perMinute / 60 * MAX_RUN.toSeconds()),
                LIST_INTERVAL.toMillis() / 2000.0, LIST_INTERVAL.toMillis() / 1000.0));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Object perId, Object byList, String ratio) {
        out.append("| ").append(name).append(" | ").append(perId).append(" | ").append(byList).append(" | ")
                .append(ratio).append(" |\n");
    }

    private static String fmt(double value) {
        return String.format("%.2f", value);
    }

    private static String ratio(double perId, double byList) {
        return byList == 0 || Double.isNaN(perId) || Double.isNaN(byList) ? "" : String.format("%.1fx", perId / byList);
    }
}
