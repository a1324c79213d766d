package io.predictionarchiver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bulk job for one small id, as a script or a cron line runs it: {@code archive} of one completed prediction
 * with one 42 KiB file, then again on the archived id, against one {@code aws s3 cp} of a small file to the same
 * S3 server, {@code bench.rounds} times each, medians. {@code archive} runs twice over: on the test class path
 * ({@code java} with no flags, as before class-data sharing), and the documented way, the packaged jar extracted
 * in {@code target/cds/} with its CDS archive (when a {@code package} has made them; {@code -Dbench.cds=DIR} for
 * another place). Start-up (process start to the run's own clock, from the summary's time) and exit (the outcome
 * line to process end) are reported apart. Printed and written to {@code bench/results/}, not asserted. Run with
 * {@code ./mvnw -B -DskipTests package && ./mvnw -B test -Pbench -Dtest=StartupBenchmark [-Dbench.rounds=5]}.
 */
@Tag("bench")
class StartupBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long FILE_BYTES = 42 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    static TestS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /**
     * One run: wall time, start-up and exit (NaN for a tool that prints no outcome line), and CPU time (user and
     * system, with the processes it waited for).
     */
    private record Timed(double wall, double startup, double exit, double cpu) {
    }

    @Test
    void oneSmallIdAgainstOneAwsS3Cp() throws IOException {
        ResultsFile results = new ResultsFile("Start-up benchmark");
        Path logs = Files.createTempDirectory("startup-bench");
        List<Timed> fresh = new ArrayList<>();
        List<Timed> again = new ArrayList<>();
        List<Timed> freshCds = new ArrayList<>();
        List<Timed> againCds = new ArrayList<>();
        List<Timed> aws = new ArrayList<>();
        boolean packaged = ForkedArchive.packaged();
        try (ReplicateSimulator simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .apiLatency(Duration.ofMillis(100)).firstByteLatency(Duration.ofMillis(100))
                .expectedToken(ForkedArchive.TOKEN).build())) {
            String bucket = s3.newBucket();
            Path small = Files.createTempFile("small", ".webp");
            Files.write(small, new byte[(int) FILE_BYTES]);
            for (int round = 0; round < ROUNDS; round++) {
                String id = "sim-startup-" + round;
                simulator.register(SimulatedPrediction.generated(id).fileSize(FILE_BYTES).build());
                fresh.add(archive(classPath(simulator, bucket, id), id, logs.resolve(id + ".log")));
                again.add(archive(classPath(simulator, bucket, id), id, logs.resolve(id + "-again.log")));
                if (packaged) {
                    String cdsId = id + "-cds";
                    simulator.register(SimulatedPrediction.generated(cdsId).fileSize(FILE_BYTES).build());
                    freshCds.add(archive(documented(simulator, bucket, cdsId), cdsId, logs.resolve(cdsId + ".log")));
                    againCds.add(archive(documented(simulator, bucket, cdsId), cdsId,
                            logs.resolve(cdsId + "-again.log")));
                }
                WatchedProcess.Result cp = WatchedProcess.run(List.of("aws", "--endpoint-url",
                                s3.endpoint().toString(), "--region", "us-east-1", "s3", "cp", small.toString(),
                                "s3://" + bucket + "/aws/" + round + ".webp"),
                        Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()),
                        logs.resolve("aws-" + round + ".log"), TIMEOUT, line -> { });
                if (cp.exitCode() != 0) {
                    throw new IllegalStateException("aws s3 cp exited " + cp.exitCode() + "; see " + logs);
                }
                aws.add(new Timed(cp.wallSeconds(), Double.NaN, Double.NaN, cp.cpuSeconds()));
            }
        }
        results.write("startup", report(fresh, again, freshCds, againCds, aws));
    }

    private static List<String> classPath(ReplicateSimulator simulator, String bucket, String id) {
        return ForkedArchive.command(List.of(), simulator.baseUrl(), s3, bucket, List.of(id));
    }

    private static List<String> documented(ReplicateSimulator simulator, String bucket, String id) {
        return ForkedArchive.packaged(simulator.baseUrl(), s3, bucket, List.of(id));
    }

    private static Timed archive(List<String> command, String id, Path log) {
        long start = System.nanoTime();
        AtomicLong outcomeAt = new AtomicLong();
        WatchedProcess.Result run = WatchedProcess.run(command, Map.of(), log, TIMEOUT,
                line -> outcomeAt.compareAndSet(0, System.nanoTime()));
        if (run.exitCode() != 0 || outcomeAt.get() == 0) {
            throw new IllegalStateException("archive of " + id + " exited " + run.exitCode() + "; see " + log);
        }
        double toOutcome = (outcomeAt.get() - start) / 1e9;
        return new Timed(run.wallSeconds(), toOutcome - ForkedArchive.ownSeconds(log), run.wallSeconds() - toOutcome,
                run.cpuSeconds());
    }

    private static String report(List<Timed> fresh, List<Timed> again, List<Timed> freshCds, List<Timed> againCds,
            List<Timed> aws) {
        double awsWall = median(aws, Timed::wall);
        StringBuilder out = new StringBuilder(String.format("Scenario: the real `archive` command in its own JVM, "
                + "on the test class path (`java` with no flags) and the documented way (`target/cds/`: the extracted "
                + "jar through `target/cds/prediction-archiver.args`: its class-data sharing archive and the C2 thresholds), for one completed prediction with one %d KiB file, "
                + "then again on that archived id (one HEAD), against `aws s3 cp` of a %d KiB file to the same "
                + "S3Proxy; simulator at 100 ms per API call and to the first byte; %d rounds, medians. Start-up: "
                + "process start to the run's own clock (the outcome line's arrival less the summary's time); "
                + "exit: the outcome line to process end; CPU: user and system time of the process and what it waited "
                + "for, on %d cores. Command: `./mvnw -B test -Pbench -Dtest=StartupBenchmark "
                + "-Dbench.rounds=%d`.%n%n", FILE_BYTES / 1024, FILE_BYTES / 1024, ROUNDS,
                Runtime.getRuntime().availableProcessors(), ROUNDS));
        out.append("| run | wall, median (s) | start-up (s) | exit (s) | CPU, median (s) | ÷ `aws s3 cp` "
                + "| all walls (s) |\n|---|---:|---:|---:|---:|---:|---|\n");
        row(out, "`archive` of a completed id (test class path)", fresh, awsWall);
        row(out, "`archive` again, already archived (test class path)", again, awsWall);
        if (!freshCds.isEmpty()) {
            row(out, "`archive` of a completed id (documented: target/cds)", freshCds, awsWall);
            row(out, "`archive` again, already archived (documented: target/cds)", againCds, awsWall);
        }
        row(out, "`aws s3 cp` of a small file", aws, awsWall);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, List<Timed> runs, double awsWall) {
        double wall = median(runs, Timed::wall);
        out.append(String.format("| %s | %.2f | %s | %s | %.2f | %.2fx | %s |%n", name, wall,
                seconds(median(runs, Timed::startup)), seconds(median(runs, Timed::exit)), median(runs, Timed::cpu),
                wall / awsWall,
                runs.stream().map(run -> String.format("%.2f", run.wall())).toList()));
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "" : String.format("%.2f", value);
    }

    private static double median(List<Timed> runs, ToDoubleFunction<Timed> value) {
        List<Double> sorted = runs.stream().map(value::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        return sorted.get(sorted.size() / 2);
    }
}
