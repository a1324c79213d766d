package io.predictionarchiver.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedFile;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.CredentialsProperties;
import io.predictionarchiver.testsupport.ForkedArchiver;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.transfer.FileState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The fault suite: every fault of {@link FaultCases} injected into one end-to-end {@code archive} run (the
 * real command in-process, real HTTP to the simulator, S3Proxy behind {@link S3FaultProxy}); every fault of a
 * whole run ({@link RunFault}: a store or a setting refused before any work, a rejected token, a list endpoint
 * in trouble) in a run of its own; plus the archiver killed mid-transfer in a JVM of its own and run again.
 * After each case the archive's guarantees are read back from S3 ({@link ArchiveInvariants}), the forbidden
 * host must have had no request, and neither the API token nor the AWS keys may appear in anything printed or
 * in a manifest. The totals of all three kinds are printed as one line at the end.
 *
 * <p>Issue 17's findings that an {@code archive} run can meet from outside are cases here: 1 and 9
 * ({@code Retry-After} of days and as a date in each HTTP form, capped; a 204 with a body), 2 (a list
 * {@code next} refused, later pages failing), 3 (ids named like the archiver's own prefixes under an empty
 * prefix; prefixes that escape or collide), 4 (a store ignoring conditional writes), 5 (no bucket, nothing
 * listening, a rejected token) and 8 (special-purpose addresses). The others are the daemon's and the queue's,
 * covered by their own tests: 6 ({@code daemon.TrackedApiTests}, 415 for non-JSON), 7 (the tick loop:
 * {@code poll.PollByListHttpTests}; the region fallback: {@code config.AwsRegionTests}), the queue part of 9
 * ({@code queue.QueueConsumerContract}, an unreadable message straight to the dead-letter queue) and 10
 * ({@code daemon.TrackedScanTests}, and the {@code bench.PendingDaemonHeap} benchmark's S3 requests per scan).
 */
@ExtendWith(OutputCaptureExtension.class)
class FaultSuiteTests {

    static final String TOKEN = "r8_fault-suite-token-5c1e9a";

    static final FaultTally tally = new FaultTally();
    private static final TestS3 s3 = S3ProxyServer.shared();
    @RegisterExtension
    static final CredentialsProperties credentials = CredentialsProperties.of(s3);
    /** A run fault ends within this, refused or not: well before the suite's {@code max-wait} of 60 s. */
    static final Duration RUN_FAULT_LIMIT = Duration.ofSeconds(20);

    static S3FaultProxy proxy;
    static ForbiddenHost forbidden;
    static ReplicateSimulator simulator;
    static BrokenFramingApi framing;
    /** The simulators of run faults that needed their own, closed with the suite's. */
    static final List<ReplicateSimulator> ownSimulators = new CopyOnWriteArrayList<>();
    static final Map<Map<String, String>, Archived> sharedRuns = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        proxy = S3FaultProxy.start(s3.endpoint());
        forbidden = new ForbiddenHost();
        simulator = ReplicateSimulator.start(SimulatorSettings.builder().expectedToken(TOKEN).build());
        framing = new BrokenFramingApi(simulator.baseUrl(), FaultCases.FRAMED_ID, forbidden.byName("/smuggled.png"));
    }

    @AfterAll
    static void printTotals() throws IOException {
        System.out.println(tally.line());
        framing.close();
        // each close waits out its event loops' quiet period (2 s): all of them at once
        Stream.concat(Stream.of(simulator), ownSimulators.stream()).parallel().forEach(ReplicateSimulator::close);
        forbidden.close();
        proxy.close();
    }

    static Stream<FaultCase> cases() {
        return FaultCases.all(forbidden, framing).stream();
    }

    static Stream<RunFault> runFaults() {
        return FaultCases.runFaults(forbidden).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void faultLeavesEveryFileWholeOrAbsentAndNoSecretPrinted(FaultCase fault, CapturedOutput output) {
        Archived archived = fault.sharesTheRun() ? sharedRun(fault.properties(), output)
                : alone(fault, output);

        String id = fault.prediction().id();
        List<String> failures = archived.run().err().lines().filter(line -> line.startsWith("failed " + id + ":"))
                .toList();
        if (fault.expected().archived()) {
            assertThat(failures).as(archived.printed()).isEmpty();
        } else {
            assertThat(failures).singleElement().asString().contains(fault.expected().failureHint());
        }
        long requests = simulator.stats().apiCalls(id) + fault.prediction().files().stream()
                .mapToLong(file -> simulator.stats().deliveryRequests(file.path())).sum();
        assertThat(requests).as("API calls and delivery requests for " + id).isGreaterThanOrEqualTo(fault.requests());
        tally.add(List.of(check(simulator, archived.bucket(), fault.properties(), id, fault.expected(),
                fault.prediction().files(), archived.printed())), forbidden.requests().size());
    }

    /**
     * A fault of the whole run, in a run of its own (on a simulator of its own where the fault is account-wide):
     * the exit status, what is printed, whether the API was called at all, and how each id ends, within
     * {@link #RUN_FAULT_LIMIT}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runFaults")
    void runFaultEndsTheRunAsExpectedWithinSecondsAndHarmsNoArchive(RunFault fault, CapturedOutput output) {
        ReplicateSimulator served = fault.simulator() == null ? simulator : ReplicateSimulator.start(
                fault.simulator().apply(SimulatorSettings.builder().expectedToken(TOKEN)).build());
        if (served != simulator) {
            ownSimulators.add(served);
        }
        fault.predictions().forEach(served::register);
        String bucket = s3.newBucket();
        Map<String, String> properties = properties(bucket);
        properties.put("archiver.api.base-url", served.baseUrl().toString());
        List<String> ids = fault.predictions().stream().map(SimulatedPrediction::id).toList();
        long apiCallsBefore = served.stats().apiCalls();
        long started = System.nanoTime();
        fault.s3Faults().accept(proxy);
        FaultRun run;
        try {
            run = FaultRun.archive(ids, properties, fault.properties());
        } finally {
            proxy.disarm();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String printed = run.out() + run.err() + output.getAll();

        assertThat(run.exitCode()).as(printed).isEqualTo(fault.exitStatus());
        assertThat(took).as("the run's wall time").isLessThan(RUN_FAULT_LIMIT);
        fault.printed().forEach(fragment -> assertThat(printed).contains(fragment));
        if (!fault.apiCalls()) {
            // the cases run one after another: every call the simulator counted meanwhile is this run's
            assertThat(served.stats().apiCalls() - apiCallsBefore).as("API calls").isZero();
        }
        List<ArchiveInvariants.Findings> findings = new ArrayList<>();
        for (SimulatedPrediction prediction : fault.predictions()) {
            List<String> named = run.err().lines().filter(line -> line.startsWith("failed " + prediction.id() + ":"))
                    .toList();
            if (fault.expected().failureHint() == null) {
                assertThat(named).as(printed).isEmpty();
            } else {
                assertThat(named).singleElement().asString().contains(fault.expected().failureHint());
            }
            findings.add(check(served, bucket, fault.properties(), prediction.id(), fault.expected(),
                    prediction.files(), printed));
        }
        tally.add(findings, forbidden.requests().size());
    }

    /**
     * SIGKILL in the middle of a multipart upload, then the same ids again: the killed run leaves no final key
     * and no manifest, only its invisible upload (the bucket's lifecycle rule aborts it a day later, this test
     * at once), and the new run archives every id.
     */
    @Test
    void archiverKilledMidTransferAndRunAgainArchivesEveryIdAndLeavesNoUpload(@TempDir Path dir,
            CapturedOutput output) throws Exception {
        try (ReplicateSimulator slow = ReplicateSimulator.start(SimulatorSettings.builder().expectedToken(TOKEN)
                .bandwidthBytesPerSecond(8 * FaultCases.MIB).build())) {
            SimulatedPrediction big = SimulatedPrediction.generated("killed-big").fileSize(16 * FaultCases.MIB)
                    .contentType("video/mp4").build();
            SimulatedPrediction small = SimulatedPrediction.generated("killed-small").files(2).build();
            slow.register(big);
            slow.register(small);
            String bucket = s3.newBucket();
            Map<String, String> properties = properties(bucket);
            properties.put("archiver.api.base-url", slow.baseUrl().toString());
            properties.put("archiver.download.max-file-size", "64MB");
            List<String> ids = List.of(small.id(), big.id());
            Path log = dir.resolve("killed.log");
            Process killed = new ProcessBuilder(ForkedArchiver.command(FaultRun.arguments(ids, properties)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();

            assertThat(ForkedArchiver.await(Duration.ofMinutes(1), () -> partUploaded(bucket) || !killed.isAlive()))
                    .as("a part uploaded").isTrue();
            assertThat(killed.isAlive()).as(Files.readString(log)).isTrue();
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(s3.incompleteUploads(bucket)).as("the killed run's upload").isNotEmpty();
            assertThat(s3.keys(bucket)).doesNotContain("predictions/" + big.id() + "/prediction.json",
                    "predictions/" + big.id() + "/out-0.mp4");
            // the same predictions from the suite's unthrottled simulator: the same files, without the wait
            simulator.register(big);
            simulator.register(small);
            FaultRun again = FaultRun.archive(ids, properties, Map.of(
                    "archiver.api.base-url", simulator.baseUrl().toString()));
            String printed = Files.readString(log) + again.out() + again.err() + output.getAll();
            assertThat(again.exitCode()).as(printed).isZero();
            // S3Proxy drops a key's other uploads when one completes; S3 keeps them until the lifecycle rule
            assertThat(s3.abortIncompleteUploads(bucket)).as("nothing but the killed run's upload left")
                    .isLessThanOrEqualTo(1);
            tally.add(List.of(
                    check(simulator, bucket, properties, small.id(), Expected.files(FileState.STORED, 2),
                            small.files(), printed),
                    check(simulator, bucket, properties, big.id(), Expected.stored(), big.files(), printed)),
                    forbidden.requests().size());
        }
    }

    /** One fault alone in a run, with its own properties and S3 faults; exit status 0 only if archived. */
    private static Archived alone(FaultCase fault, CapturedOutput output) {
        simulator.register(fault.prediction());
        String bucket = s3.newBucket();
        long injectedBefore = proxy.faultsInjected();
        fault.s3Faults().accept(proxy);
        try {
            FaultRun run = FaultRun.archive(List.of(fault.prediction().id()), properties(bucket), fault.properties());
            Archived archived = new Archived(bucket, run, run.out() + run.err() + output.getAll());
            assertThat(run.exitCode()).as(archived.printed()).isEqualTo(fault.expected().archived() ? 0 : 1);
            if (fault.s3Faults() != FaultCase.NO_S3_FAULT) {
                assertThat(proxy.faultsInjected()).as("S3 faults injected").isGreaterThan(injectedBefore);
            }
            return archived;
        } finally {
            proxy.disarm();
        }
    }

    /**
     * Every case that {@linkplain FaultCase#sharesTheRun() shares a run} with these {@code properties},
     * archived together once.
     */
    private static synchronized Archived sharedRun(Map<String, String> properties, CapturedOutput output) {
        return sharedRuns.computeIfAbsent(properties, same -> {
            List<FaultCase> batch = cases().filter(FaultCase::sharesTheRun)
                    .filter(fault -> fault.properties().equals(same)).toList();
            batch.forEach(fault -> simulator.register(fault.prediction()));
            String bucket = s3.newBucket();
            FaultRun run = FaultRun.archive(batch.stream().map(fault -> fault.prediction().id()).toList(),
                    properties(bucket), same);
            Archived shared = new Archived(bucket, run, run.out() + run.err() + output.getAll());
            boolean allArchived = batch.stream().allMatch(fault -> fault.expected().archived());
            assertThat(run.exitCode()).as(shared.printed()).isEqualTo(allArchived ? 0 : 1);
            return shared;
        });
    }

    /**
     * The guarantees after a run with {@code overrides} of the suite's properties (its prefix, its token) for
     * {@code id}, which {@code served} its files; the findings for the tally.
     */
    private static ArchiveInvariants.Findings check(ReplicateSimulator served, String bucket,
            Map<String, String> overrides, String id, Expected expected, List<SimulatedFile> files, String printed) {
        String prefix = overrides.getOrDefault("archiver.s3.prefix", ArchiveInvariants.PREFIX);
        ArchiveInvariants.Findings findings = ArchiveInvariants.check(s3, bucket,
                prefix.equals(FaultRun.EMPTY) ? "" : prefix, id, expected, files);
        assertThat(findings.problems()).as(id).isEmpty();
        assertThat(forbidden.requests()).as("requests to the forbidden host").isEmpty();
        assertThat(served.stats().deliveryRequestCarriedAuthorization()).as("token sent to a delivery host")
                .isFalse();
        String token = overrides.getOrDefault("archiver.api.token", TOKEN);
        List<String> manifests = s3.keys(bucket).stream().filter(key -> key.endsWith("/prediction.json"))
                .map(key -> s3.text(bucket, key)).toList();
        for (String text : Stream.concat(Stream.of(printed), manifests.stream()).toList()) {
            assertThat(text).doesNotContain(TOKEN).doesNotContain(token).doesNotContain(s3.secretKey())
                    .doesNotContain(s3.accessKey());
        }
        return findings;
    }

    /** A run's bucket, and what it printed (its stdout and stderr, and the logs of the JVM meanwhile). */
    private record Archived(String bucket, FaultRun run, String printed) {
    }

    /* A part of an archive's upload: the store check's own tiny multipart upload does not count. */
    private static boolean partUploaded(String bucket) {
        return s3.incompleteUploads(bucket).stream().filter(upload -> upload.key().startsWith("predictions/"))
                .anyMatch(upload -> !s3.client().listParts(request -> request
                        .bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().isEmpty());
    }

    /** The suite's defaults: short timeouts so that every fault ends within seconds, S3 behind the proxy. */
    private static Map<String, String> properties(String bucket) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("archiver.s3.bucket", bucket);
        properties.put("archiver.s3.endpoint", proxy.endpoint().toString());
        properties.put("archiver.s3.region", "us-east-1");
        properties.put("archiver.s3.part-size", "5MB");
        properties.put("archiver.api.base-url", simulator.baseUrl().toString());
        properties.put("archiver.api.token", TOKEN);
        properties.put("archiver.api.request-timeout", "1s");
        properties.put("archiver.poll.min-interval", "50ms");
        properties.put("archiver.poll.retry-min-backoff", "20ms");
        properties.put("archiver.poll.retry-max-backoff", "100ms");
        properties.put("archiver.poll.max-retries", "4");
        properties.put("archiver.poll.max-wait", "60s");
        properties.put("archiver.download.allowed-hosts", "127.0.0.1");
        properties.put("archiver.download.allow-http", "true");
        properties.put("archiver.download.allow-private-networks", "true");
        properties.put("archiver.download.idle-timeout", "500ms");
        properties.put("archiver.download.max-attempts", "2");
        properties.put("archiver.download.max-file-size", "8MB");
        return properties;
    }
}
