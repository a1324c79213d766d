package io.predictionarchiver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archiver against the documented approach ({@link NaiveArchiver}) on one batch of simulated predictions
 * submitted at once, side by side in one run: the same simulator (realistic latency, per-stream bandwidth cap,
 * Replicate's rate limit), the same S3Proxy, the same prediction specs under two id prefixes. Printed and
 * written to {@code bench/results/}, not asserted. Run with
 * {@code ./mvnw -B test -Pbench -Dtest=ThroughputBenchmark [-Dbench.predictions=1000] [-Dbench.bandwidthMb=20]}; a
 * backlog of completed predictions with small files: {@code -Dbench.predictions=400 -Dbench.maxRunMs=0
 * -Dbench.minFileKb=10 -Dbench.maxFileKb=200 [-Dbench.archiverArgs=--archiver.manifest.record=list]}.
 */
@Tag("bench")
class ThroughputBenchmark {

    private static final int PREDICTIONS = Integer.getInteger("bench.predictions", 1000);
    private static final long BANDWIDTH = Long.getLong("bench.bandwidthMb", 20) * 1_000_000;
    private static final long SEED = 7;
    private static final Duration MIN_RUN = Duration.ofMillis(Math.min(Long.getLong("bench.minRunMs", 1000),
            Long.getLong("bench.maxRunMs", 20_000)));
    private static final Duration MAX_RUN = Duration.ofMillis(Long.getLong("bench.maxRunMs", 20_000));
    private static final long MIN_FILE = Long.getLong("bench.minFileKb", 100) * 1000;
    private static final long MAX_FILE = Long.getLong("bench.maxFileKb", 5000) * 1000;
    /** Extra arguments of the archiver's command line, e.g. {@code --archiver.manifest.record=list}. */
    private static final List<String> ARCHIVER_ARGS = List.of(System.getProperty("bench.archiverArgs", "").split(" "))
            .stream().filter(arg -> !arg.isBlank()).toList();
    private static final int WARM_UP_PREDICTIONS = 200;
    private static final Duration API_LATENCY = Duration.ofMillis(100);
    /** Manifest states with files not stored; in this scenario (every host allowed, no file too large) expired URLs. */
    private static final Set<String> LOST_STATES = Set.of("expired", "partial");
    private static final Duration FIRST_BYTE_LATENCY = Duration.ofMillis(100);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** One prediction of the batch: how long it runs, and its files. */
    private record Spec(int index, Duration runTime, int files, long fileSize) {

        String id(String prefix) {
            return String.format("%s-%05d", prefix, index);
        }
    }

    /**
     * What one approach did with the batch.
     *
     * @param ownCpu   CPU time of the approach's own process; {@code null} for one that runs in the benchmark's JVM
     * @param hostCpu  CPU time of the benchmark's JVM meanwhile: the simulator and S3Proxy, and an approach run in it
     */
    private record Side(String name, Duration wall, int archived, long apiCalls, long throttled, long bytes,
            Spread latency, long lost, double smallestMargin, Duration ownCpu, Duration hostCpu) {

        double pollsPerPrediction() {
            return (double) apiCalls / PREDICTIONS;
        }
    }

    @Test
    void archiverAgainstTheDocumentedApproach() throws IOException {
        ResultsFile results = new ResultsFile("Throughput benchmark: archiver against the documented approach");
        List<Spec> specs = specs();
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .apiLatency(API_LATENCY).firstByteLatency(FIRST_BYTE_LATENCY).bandwidthBytesPerSecond(BANDWIDTH)
                .requestsPerMinute(3000).expectedToken(ForkedArchive.TOKEN).build())) {
            String bucket = s3.newBucket();
            warmUp(simulator, bucket, specs);
            Side archiver = archiver(simulator, bucket, specs, "archiver");
            Side naive = naive(simulator, bucket, specs);
            results.write("throughput", report(specs, archiver, naive));
        }
    }

    private static List<Spec> specs() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Spec> specs = new ArrayList<>(PREDICTIONS);
        for (int i = 0; i < PREDICTIONS; i++) {
            specs.add(new Spec(i, Duration.ofMillis(random.nextLong(MIN_RUN.toMillis(), MAX_RUN.toMillis() + 1)),
                    random.nextInt(1, 5), random.nextLong(MIN_FILE, MAX_FILE + 1)));
        }
        return specs;
    }

    /** Registers the batch under {@code prefix}, all created now, and returns its creation instant. */
    private static Instant submit(ReplicateSimulator simulator, List<Spec> specs, String prefix) {
        Instant created = Instant.now();
        specs.forEach(spec -> simulator.register(SimulatedPrediction.generated(spec.id(prefix))
                .createdAt(created).completesAfter(spec.runTime()).files(spec.files()).fileSize(spec.fileSize())
                .build()));
        return created;
    }

    /**
     * One unmeasured archiver run over the first {@value #WARM_UP_PREDICTIONS} specs, so that the simulator and
     * S3Proxy, which stand in for services that are always warm, have compiled their request paths before either
     * side is measured; without it the side that runs first pays their warm-up on the shared cores.
     */
    private static void warmUp(ReplicateSimulator simulator, String bucket, List<Spec> specs) throws IOException {
        archiver(simulator, bucket, specs.subList(0, Math.min(WARM_UP_PREDICTIONS, specs.size())), "warm-up");
    }

    private static Side archiver(ReplicateSimulator simulator, String bucket, List<Spec> specs, String prefix)
            throws IOException {
        Path ids = Files.createTempFile("throughput-ids", ".txt");
        Files.write(ids, specs.stream().map(spec -> spec.id(prefix)).toList());
        Path log = Files.createTempFile("throughput-archiver", ".log");
        Map<String, Instant> archivedAt = new ConcurrentHashMap<>();
        AtomicLong lost = new AtomicLong();
        long callsBefore = simulator.stats().apiCalls();
        long throttledBefore = simulator.stats().throttled();
        long bytesBefore = simulator.stats().deliveryBytes();
        Instant created = submit(simulator, specs, prefix);
        List<String> arguments = new ArrayList<>(List.of("--ids-file", ids.toString()));
        arguments.addAll(ARCHIVER_ARGS);
        WatchedProcess.Result run = WatchedProcess.run(ForkedArchive.asUsersRunIt(
                simulator.baseUrl(), s3, bucket, arguments), Map.of(), log, Duration.ofHours(1), line -> {
                    JsonNode outcome = JSON.readTree(line);
                    if ("archived".equals(outcome.path("result").asString())) {
                        archivedAt.put(outcome.path("id").asString(), Instant.now());
                    }
                    if (LOST_STATES.contains(outcome.path("state").asString())) {
                        lost.incrementAndGet();
                    }
                });
        if (run.exitCode() != 0) {
            throw new IllegalStateException("archive exited " + run.exitCode() + "; see " + log);
        }
        return side("archiver (`archive`, forked JVM, defaults)", run.wall(), simulator, callsBefore,
                throttledBefore, bytesBefore, specs, created, spec -> archivedAt.get(spec.id(prefix)), lost.get(),
                run.cpu(), run.hostCpu());
    }

    private static Side naive(ReplicateSimulator simulator, String bucket, List<Spec> specs) {
        Map<String, Instant> archivedAt = new ConcurrentHashMap<>();
        long callsBefore = simulator.stats().apiCalls();
        long throttledBefore = simulator.stats().throttled();
        long bytesBefore = simulator.stats().deliveryBytes();
        Instant created = submit(simulator, specs, "naive");
        CpuTimes before = CpuTimes.now();
        long start = System.nanoTime();
        new NaiveArchiver(simulator.baseUrl(), ForkedArchive.TOKEN, s3.client(), bucket).archive(
                specs.stream().map(spec -> spec.id("naive")).toList(), id -> archivedAt.put(id, Instant.now()));
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Duration hostCpu = CpuTimes.now().self().minus(before.self());
        // NaiveArchiver reports no manifest state: a prediction it archived past its expiry lost its files
        Duration expiry = simulator.settings().expiryAfterCompletion();
        long lost = specs.stream().map(spec -> archivedAt.get(spec.id("naive")))
                .filter(at -> at != null && at.isAfter(created.plus(expiry))).count();
        return side("documented approach (sequential, poll every 3 s)", wall, simulator, callsBefore,
                throttledBefore, bytesBefore, specs, created, spec -> archivedAt.get(spec.id("naive")), lost, null,
                hostCpu);
    }

    private static Side side(String name, Duration wall, ReplicateSimulator simulator, long callsBefore,
            long throttledBefore, long bytesBefore, List<Spec> specs, Instant created,
            Function<Spec, Instant> archivedAt, long lost, Duration ownCpu, Duration hostCpu) {
        List<Double> latencies = new ArrayList<>();
        for (Spec spec : specs) {
            Instant at = archivedAt.apply(spec);
            if (at != null) {
                latencies.add(Duration.between(created.plus(spec.runTime()), at).toMillis() / 1000.0);
            }
        }
        return new Side(name, wall, latencies.size(), simulator.stats().apiCalls() - callsBefore,
                simulator.stats().throttled() - throttledBefore, simulator.stats().deliveryBytes() - bytesBefore,
                Spread.of(latencies), lost, smallestMargin(latencies, simulator.settings().expiryAfterCompletion()),
                ownCpu, hostCpu);
    }

    /** Time left before its files expired when the slowest was archived, as archiver_expiry_margin_seconds. */
    private static double smallestMargin(List<Double> latencies, Duration expiry) {
        return latencies.stream().mapToDouble(latency -> expiry.toMillis() / 1000.0 - latency).min()
                .orElse(Double.NaN);
    }

    private static String report(List<Spec> specs, Side archiver, Side naive) {
        long files = specs.stream().mapToLong(Spec::files).sum();
        long bytes = specs.stream().mapToLong(spec -> spec.files() * spec.fileSize()).sum();
        StringBuilder out = new StringBuilder(String.format("Scenario: %d predictions submitted at once, each "
                + "completing %s to %s after submission (uniform), with 1 to 4 files of %d KB to %d KB (uniform, "
                + "seed %d): %d files, %.2f GB in all. Simulator: %d ms per API call, %d ms to the first byte of "
                + "a file, %.0f MB/s per delivery stream, 3000 API calls a minute (429 beyond). The archiver is "
                + "the real `archive --ids-file` in its own JVM at its defaults (256 polled at once, 32 files "
                + "transferring, 2400 calls/min)%s%s; its wall time includes JVM start-up and exit. The documented approach "
                + "runs in the benchmark's JVM ({@code NaiveArchiver}: one id after another, GET every 3 s until "
                + "terminal, then stream each file into one PutObject). The same prediction specs run under two "
                + "id prefixes, each batch submitted when its side starts, against the same simulator and "
                + "S3Proxy, archiver first, once an unmeasured archiver run over " + WARM_UP_PREDICTIONS
                + " specs has warmed the two servers up (they stand in for services that are always warm). Command: `./mvnw -B test -Pbench -Dtest=ThroughputBenchmark "
                + "-Dbench.predictions=%d -Dbench.bandwidthMb=%d -Dbench.minRunMs=%d -Dbench.maxRunMs=%d "
                + "-Dbench.minFileKb=%d -Dbench.maxFileKb=%d%s`.%n%n", PREDICTIONS, MIN_RUN, MAX_RUN,
                MIN_FILE / 1000, MAX_FILE / 1000, SEED, files, bytes / 1e9, API_LATENCY.toMillis(),
                FIRST_BYTE_LATENCY.toMillis(), BANDWIDTH / 1e6,
                ARCHIVER_ARGS.isEmpty() ? "" : " with `" + String.join(" ", ARCHIVER_ARGS) + "`",
                ", run " + ForkedArchive.howUsersRunIt(),
                PREDICTIONS,
                BANDWIDTH / 1_000_000, MIN_RUN.toMillis(), MAX_RUN.toMillis(), MIN_FILE / 1000, MAX_FILE / 1000,
                (ARCHIVER_ARGS.isEmpty() ? "" : " '-Dbench.archiverArgs=" + String.join(" ", ARCHIVER_ARGS) + "'")
                        + ForkedArchive.jvmOptionsFlag()).replace("{@code NaiveArchiver}", "`NaiveArchiver`"));
        out.append("| | archiver | documented approach | ratio (documented ÷ archiver) |\n|---|---:|---:|---:|\n");
        row(out, "wall time (s)", archiver.wall().toMillis() / 1000.0, naive.wall().toMillis() / 1000.0);
        row(out, "API calls per prediction", archiver.pollsPerPrediction(), naive.pollsPerPrediction());
        row(out, "completion → archived, mean (s)", archiver.latency().mean(), naive.latency().mean());
        row(out, "completion → archived, p95 (s)", archiver.latency().p95(), naive.latency().p95());
        out.append(String.format("| predictions archived | %d | %d | |%n", archiver.archived(), naive.archived()));
        out.append(String.format("| files lost to expiry (predictions) | %d | %d | |%n", archiver.lost(),
                naive.lost()));
        out.append(String.format("| smallest margin to expiry at archiving (s) | %.1f | %.1f | |%n",
                archiver.smallestMargin(), naive.smallestMargin()));
        out.append(String.format("| bytes delivered by the simulator (GB) | %.2f | %.2f | |%n",
                archiver.bytes() / 1e9, naive.bytes() / 1e9));
        out.append(String.format("| 429s from the simulator | %d | %d | |%n", archiver.throttled(),
                naive.throttled()));
        out.append(String.format("| CPU of the approach's own process (s) | %.1f | (runs in the benchmark's JVM) | |%n",
                seconds(archiver.ownCpu())));
        out.append(String.format("| CPU of the benchmark's JVM: simulator, S3Proxy (and the documented approach) (s) "
                + "| %.1f | %.1f | |%n", seconds(archiver.hostCpu()), seconds(naive.hostCpu())));
        int cores = Runtime.getRuntime().availableProcessors();
        out.append(String.format("| cores busy, of %d (all CPU above ÷ wall time) | %.2f | %.2f | |%n", cores,
                (seconds(archiver.ownCpu()) + seconds(archiver.hostCpu())) / seconds(archiver.wall()),
                seconds(naive.hostCpu()) / seconds(naive.wall())));
        double transferSeconds = (double) bytes / BANDWIDTH + files * FIRST_BYTE_LATENCY.toMillis() / 1000.0;
        out.append(String.format("%nBounds: the documented approach moves one file at a time, so it needs at "
                + "least Σ(first byte + size ÷ per-stream bandwidth) = %.0f s, plus ≥ 1 API call (%d ms) per "
                + "prediction and its uploads; the archiver, 32 files transferring at once, at least %.0f s "
                + "from transfer alone, and %.0f s of API budget for its %.2f calls per prediction at 2400 a "
                + "minute, unless the machine (simulator, S3Proxy and the archiver on the same 2 cores) is the "
                + "limit. Completion → archived for the documented approach grows with the position in the "
                + "batch: the last id waits for every transfer before it.%n", transferSeconds,
                API_LATENCY.toMillis(), transferSeconds / 32, archiver.apiCalls() / 40.0,
                archiver.pollsPerPrediction()));
        return out.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void row(StringBuilder out, String name, double archiver, double naive) {
        out.append(String.format("| %s | %.2f | %.2f | %.1fx |%n", name, archiver, naive, naive / archiver));
    }
}
