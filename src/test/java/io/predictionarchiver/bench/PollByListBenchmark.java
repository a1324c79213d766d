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
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.DownloadProperties;
import io.predictionarchiver.config.ManifestProperties.RecordSource;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.S3Properties;
import io.predictionarchiver.manifest.ArchiveState;
import io.predictionarchiver.manifest.ManifestStore;
import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.pipeline.ArchivePipeline;
import io.predictionarchiver.pipeline.RunOptions;
import io.predictionarchiver.pipeline.StageListener;
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
    /**
     * Poll-by-list settings run beside the defaults, as {@code list-interval/max-interval} pairs separated by
     * commas ({@code PT6S/PT2M,PT2S/PT4S}): a cheaper and a faster point on the calls-against-latency frontier.
     */
    private static final String VARIANTS = System.getProperty("bench.variants", "");
    private static final Duration API_LATENCY = Duration.ofMillis(100);
    private static final Duration LIST_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(30);
    private static final List<Duration> BOUND_PERIODS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2));

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
        // JIT, connection pools and S3Proxy warm up on a small load first, so that the first mode measured does not
        // pay for them
        LoadScenario warmUp = new LoadScenario(200, Duration.ofSeconds(20), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 1, 4096, 9);
        modes().subList(0, 2).forEach(mode -> run(mode, warmUp));
        List<Result> results = new ArrayList<>();
        for (Mode mode : modes()) {
            results.add(run(mode, load));
        }
        String report = report(load, results, peakInFlight(load));
        System.out.println(report);
        Path file = Path.of("bench/results/poll-by-list-" + (LABEL.isEmpty() ? "" : LABEL + "-") + LocalDate.now()
                + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
    }

    /** Per-id polling and poll-by-list at the defaults, then each variant of {@code bench.variants}. */
    private static List<Mode> modes() {
        List<Mode> modes = new ArrayList<>(List.of(new Mode("per-id polling", false, LIST_INTERVAL, MAX_INTERVAL),
                new Mode("poll-by-list", true, LIST_INTERVAL, MAX_INTERVAL)));
        for (String variant : VARIANTS.split(",")) {
            if (variant.isBlank()) {
                continue;
            }
            String[] intervals = variant.trim().split("/");
            if (intervals.length != 2) {
                throw new IllegalArgumentException("bench.variants: expected list-interval/max-interval pairs like "
                        + "PT6S/PT2M, got " + variant);
            }
            Duration list = Duration.parse(intervals[0]);
            Duration max = Duration.parse(intervals[1]);
            modes.add(new Mode("by-list " + label(list) + "/" + label(max), true, list, max));
        }
        return modes;
    }

    private static String label(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private Result run(Mode mode, LoadScenario load) {
        boolean byList = mode.byList();
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
            PollProperties defaults = new PollProperties(PREDICTIONS, Duration.ofSeconds(1), mode.maxInterval(),
                    Duration.ofHours(2), 8, Duration.ofSeconds(1), Duration.ofSeconds(60));
            PollProperties poll = new PollProperties(defaults.concurrency(), defaults.minInterval(),
                    defaults.maxInterval(), defaults.maxWait(), defaults.maxRetries(), defaults.retryMinBackoff(),
                    defaults.retryMaxBackoff(), byList, mode.listInterval(),
                    LIST_WINDOW.isEmpty() ? defaults.listWindow() : Duration.parse(LIST_WINDOW));
            DownloadProperties download = new DownloadProperties(List.of("127.0.0.1"), true, true, 16,
                    DataSize.ofGigabytes(1), 2, 5, Duration.ofSeconds(5), Duration.ofSeconds(30));
            try (OutputTransfer transfer = OutputTransfer.create(client, storage, download, WebClient.builder(),
                    Schedulers.parallel())) {
                PredictionPoller poller = PredictionPoller.create(api, poll, WebClient.builder(), scheduler);
                ArchivePipeline pipeline = new ArchivePipeline(new ManifestStore(client, storage,
                        JsonMapper.builder().build(), Clock.systemUTC(), "bench"), poller, transfer,
                        // the figures on file count list entries as the record; the whole record adds one read each
                        RecordSource.LIST, PREDICTIONS, 16);
                Map<String, Instant> archivedAt = new ConcurrentHashMap<>();
                AtomicLong lost = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                // ids arrive as they are created, as a daemon or a queue would hand them over
                Flux<PredictionId> ids = Flux.fromIterable(planned).concatMap(prediction -> Mono.delay(
                        positive(Duration.between(clock.instant(), prediction.createdAt())), scheduler)
                        .thenReturn(PredictionId.of(prediction.id())));
                long wallStart = System.nanoTime();
                pipeline.archive(ids, RunOptions.DEFAULT, StageListener.NONE).doOnNext(outcome -> {
                    archivedAt.put(outcome.id().value(), clock.instant());
                    if (outcome.result() == ArchiveOutcome.Result.FAILED) {
                        failed.incrementAndGet();
                    } else if (outcome.state() != ArchiveState.COMPLETE) {
                        lost.incrementAndGet();
                    }
                }).blockLast(Duration.ofMinutes(30));
                Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);
                List<Double> archived = new ArrayList<>();
                List<Double> shownAfter = new ArrayList<>();
                List<Double> work = new ArrayList<>();
                List<Double> uncompressed = new ArrayList<>();
                // time left before its files expired when each was archived, as archiver_expiry_margin_seconds
                Duration expiry = simulator.settings().expiryAfterCompletion();
                double smallestMargin = Double.NaN;
                for (LoadScenario.Planned prediction : planned) {
                    Instant at = archivedAt.get(prediction.id());
                    Instant shown = simulator.stats().firstShownTerminal(prediction.id()).orElse(null);
                    if (at == null || shown == null) {
                        continue;
                    }
                    double margin = seconds(at, prediction.completedAt().plus(expiry));
                    smallestMargin = Double.isNaN(smallestMargin) ? margin : Math.min(smallestMargin, margin);
                    archived.add(seconds(prediction.completedAt(), at));
                    double detection = seconds(prediction.completedAt(), shown);
                    double realWork = seconds(shown, at) / FACTOR;
                    shownAfter.add(detection);
                    work.add(realWork);
                    uncompressed.add(detection + realWork);
                }
                client.close();
                return new Result(mode, simulator.stats().apiCalls(), simulator.stats().throttled(),
                        poller.listPagesRead(), archivedAt.size() - failed.get(), failed.get(), lost.get(),
                        smallestMargin, Spread.of(archived), Spread.of(shownAfter), Spread.of(work),
                        Spread.of(uncompressed), wall);
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

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    /** How one run polls: per id, or by list with its list and max intervals. */
    private record Mode(String name, boolean byList, Duration listInterval, Duration maxInterval) {
    }

    private record Result(Mode mode, long apiCalls, long throttled, long listPages, long archived, long failed,
            long lost, double smallestMargin, Spread archivedAfter, Spread shownAfter, Spread work,
            Spread uncompressed, Duration wall) {

        double callsPerArchived() {
            return archived == 0 ? Double.NaN : (double) apiCalls / archived;
        }
    }

    private static String report(LoadScenario load, List<Result> results, int peakInFlight) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        StringBuilder out = new StringBuilder();
        out.append("# Poll-by-list benchmark, ").append(LocalDate.now()).append("\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ").append(cpu)
                .append("; JVM ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append("\n\n");
        out.append(String.format("Scenario: %d predictions created evenly over %s (simulated), each running %s to %s "
                + "(log-uniform, seed %d; at most %d running at once), 1 file of 4 KiB each, files expiring 1 h after "
                + "completion; simulator rate limit 3000 calls/min (429 beyond), 100 ms per API call, list pages of "
                + "100. Archiver defaults: 2400 calls/min, burst 20, list interval 2 s, min/max poll interval "
                + "1 s/30 s; ids handed over as they are created; archiver.poll.concurrency = %d. Columns "
                + "`by-list L/M` run poll-by-list with `list-interval` L and `max-interval` M. Time compressed "
                + "%.0fx: the simulator clock and the archiver's scheduler run %.0fx faster than the wall clock, so "
                + "every setting keeps its real value in simulated time; only the API latency is divided by the "
                + "factor. Command: `./mvnw -B test -Pbench -Dtest=PollByListBenchmark -Dbench.predictions=%d "
                + "-Dbench.factor=%.0f -Dbench.window=%s -Dbench.minRun=%s -Dbench.maxRun=%s%s%s%s`.\n\n",
                load.predictions(), CREATION_WINDOW, MIN_RUN, MAX_RUN, load.seed(), peakInFlight, PREDICTIONS, FACTOR,
                FACTOR, PREDICTIONS, FACTOR, CREATION_WINDOW, MIN_RUN, MAX_RUN,
                LIST_WINDOW.isEmpty() ? "" : " -Dbench.listWindow=" + LIST_WINDOW,
                VARIANTS.isEmpty() ? "" : " -Dbench.variants=" + VARIANTS,
                LABEL.isEmpty() ? "" : " -Dbench.label=" + LABEL));
        Result perId = results.get(0);
        Result byList = results.get(1);
        out.append("|");
        results.forEach(result -> out.append(" | ").append(result.mode().name()));
        out.append(" | ratio |\n|---");
        results.forEach(result -> out.append("|---:"));
        out.append("|---:|\n");
        row(out, results, "API calls (list pages)", result -> result.apiCalls() + " (" + result.listPages() + ")",
                ratio(perId.apiCalls(), byList.apiCalls()));
        row(out, results, "API calls per archived prediction", result -> fmt(result.callsPerArchived()),
                ratio(perId.callsPerArchived(), byList.callsPerArchived()));
        spreadRows(out, results, "completion → archived", "simulated s", Result::archivedAfter);
        spreadRows(out, results, "completion → shown terminal", "simulated s", Result::shownAfter);
        spreadRows(out, results, "shown → archived", "real s", Result::work);
        row(out, results, "completion → archived at 1x, p95 (estimate, s)",
                result -> fmt(result.uncompressed().p95()),
                ratio(perId.uncompressed().p95(), byList.uncompressed().p95()));
        row(out, results, "files lost to expiry", result -> String.valueOf(result.lost()), "");
        row(out, results, "smallest margin to expiry at archiving (simulated s)",
                result -> fmt(result.smallestMargin()), "");
        row(out, results, "ids failed", result -> String.valueOf(result.failed()), "");
        row(out, results, "429s from the simulator", result -> String.valueOf(result.throttled()), "");
        row(out, results, "wall time (s)", result -> fmt(result.wall().toMillis() / 1000.0), "");
        out.append(String.format("%nRatio: per-id polling ÷ poll-by-list at the defaults. \"Shown terminal\" is when "
                + "an API answer (a GET or a list entry) first showed the prediction terminal: the poller's doing, in "
                + "simulated time, which compression keeps faithful. \"Shown → archived\" is the rest (that answer's "
                + "way back, the transfer, the manifest) on the real clock, which compression would otherwise count "
                + "%.0f times over. The 1x estimate adds the two per prediction.%n", FACTOR));
        List<LoadScenario.Planned> plan = load.plan(Instant.EPOCH);
        out.append("\nTheoretical bound, computed from this scenario's plan: to look at every running prediction at "
                + "least every T (so that none is seen more than T after it completes), list pages must cover the "
                + "running predictions' positions in creation order at each look. The fewest pages of 100 that do "
                + "so, per prediction:\n\n| look every T | ");
        BOUND_PERIODS.forEach(period -> out.append(label(period)).append(" | "));
        out.append("\n|---");
        BOUND_PERIODS.forEach(period -> out.append("|---:"));
        out.append("|\n");
        boundRow(out, "calls per prediction, at least", plan, null);
        Duration p95Run = SweepBound.runningTimeQuantile(plan, 0.95);
        boundRow(out, "only those younger than the p95 running time (" + label(p95Run) + "), at least", plan, p95Run);
        out.append("\nThe second row estimates what a p95 of T costs: it gives up on the 5% that run longest, "
                + "which no schedule can tell apart before they pass that age.\n\nPer-id polling needs ≥ 1 call per "
                + "prediction (its last read) and polls running predictions every max(min-interval, 0.2 × age), "
                + "capped at max-interval.\n");
        return out.toString();
    }

    /** One row of the bound table: calls per prediction for each look period, {@code maxAge} as in SweepBound. */
    private static void boundRow(StringBuilder out, String name, List<LoadScenario.Planned> plan, Duration maxAge) {
        out.append("| ").append(name).append(" | ");
        BOUND_PERIODS.forEach(period -> out.append(String.format("%.3f",
                SweepBound.callsPerPrediction(plan, period, 100, maxAge))).append(" | "));
        out.append("\n");
    }

    private static void spreadRows(StringBuilder out, List<Result> results, String measure, String unit,
            Function<Result, Spread> spread) {
        Spread perId = spread.apply(results.get(0));
        Spread byList = spread.apply(results.get(1));
        row(out, results, measure + ", mean (" + unit + ")", result -> fmt(spread.apply(result).mean()),
                ratio(perId.mean(), byList.mean()));
        row(out, results, measure + ", p95 (" + unit + ")", result -> fmt(spread.apply(result).p95()),
                ratio(perId.p95(), byList.p95()));
    }

    private static void row(StringBuilder out, List<Result> results, String name, Function<Result, String> value,
            String ratio) {
        out.append("| ").append(name);
        results.forEach(result -> out.append(" | ").append(value.apply(result)));
        out.append(" | ").append(ratio).append(" |\n");
    }

    private static String fmt(double value) {
        return String.format("%.2f", value);
    }

    private static String ratio(double perId, double byList) {
        return byList == 0 || Double.isNaN(perId) || Double.isNaN(byList) ? "" : String.format("%.1fx", perId / byList);
    }
}
