package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.LooseS3Server;

import org.junit.jupiter.api.Test;

/**
 * Start-up errors are configuration errors (issue 17, finding 5): exit 2 within seconds, before any API call, with a
 * message naming what to fix; and a run a rejected token stops names the ids it left unarchived.
 */
class StartupErrorsTests extends CliTestBed {

    private static final Duration SECONDS = Duration.ofSeconds(30);

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().expectedToken(ArchiveRun.TOKEN).build();
    }

    @Test
    void aBucketThatDoesNotExistIsAConfigurationErrorBeforeAnyApiCall() {
        simulator.register(SimulatedPrediction.generated("nobucket-1").build());

        ArchiveRun run = archiveWith("nobucket-1", "--archiver.s3.bucket=no-such-bucket-17");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: archiver.s3.bucket 'no-such-bucket-17' does not exist at"
                + " archiver.s3.endpoint " + s3.endpoint());
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void nothingListeningOnTheS3EndpointIsAConfigurationErrorWithinSeconds() throws IOException {
        simulator.register(SimulatedPrediction.generated("noendpoint-1").build());
        String closed = "http://127.0.0.1:" + freePort();

        long started = System.nanoTime();
        ArchiveRun run = archiveWith("noendpoint-1", "--archiver.s3.endpoint=" + closed);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SECONDS);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: no usable answer from archiver.s3.endpoint " + closed)
                .contains("check archiver.s3.endpoint");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void aBufferBudgetThatCannotHoldOnePartIsRefusedNamingBothProperties() {
        ArchiveRun run = archiveWith("budget-1", "--archiver.download.buffer-memory=4MB");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: archiver.download.buffer-memory (4194304 bytes) must"
                + " hold at least one part of archiver.s3.part-size (8388608 bytes)");
        assertThat(simulator.stats().apiCalls()).isZero();
    }

    @Test
    void aStoreThatIgnoresConditionalWritesIsRefusedBeforeAnyApiCall() {
        try (LooseS3Server loose = new LooseS3Server()) {
            ArchiveRun run = archiveWith("loose-1", "--archiver.s3.endpoint=" + loose.endpoint());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("configuration error: the store of bucket")
                    .contains("ignores conditional writes");
            assertThat(simulator.stats().apiCalls()).isZero();
        }
    }

    @Test
    void anUnknownProviderListsTheValidOnes() {
        ArchiveRun run = archiveWith("x1", "--archiver.api.provider=evilapi");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid value for archiver.api.provider: 'evilapi' is not one of replicate,"
                + " cometapi, deerapi").doesNotContain("No enum constant");
    }

    @Test
    void aRunARejectedTokenStopsNamesEveryIdLeftUnarchived() {
        simulator.register(SimulatedPrediction.generated("auth-1").build());
        simulator.register(SimulatedPrediction.generated("auth-2").build());
        simulator.register(SimulatedPrediction.generated("auth-3").build());

        ArchiveRun run = archive("auth-1", "auth-2", "auth-3", "--archiver.api.token=wrong-token");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("failed auth-1: not archived, the run stopped:")
                .contains("failed auth-2: not archived, the run stopped:")
                .contains("failed auth-3: not archived, the run stopped:")
                .containsPattern("failed\\s+3")
                .doesNotContain("wrong-token");
    }

    @Test
    void theDaemonRefusesABucketThatDoesNotExistBeforeItStarts() {
        List<String> args = new ArrayList<>(List.of("daemon", "--port=0"));
        args.addAll(settings("--archiver.s3.bucket=no-such-bucket-17"));

        ArchiveRun run = ArchiveRun.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: archiver.s3.bucket 'no-such-bucket-17' does not exist");
    }

    /** {@code archive} with the test bed's settings, each of {@code overrides} in place of the same property's. */
    private ArchiveRun archiveWith(String id, String... overrides) {
        List<String> args = new ArrayList<>(List.of("archive", id));
        args.addAll(settings(overrides));
        return ArchiveRun.run(args.toArray(String[]::new));
    }

    private List<String> settings(String... overrides) {
        List<String> settings = new ArrayList<>(List.of(overrides));
        for (String setting : ArchiveRun.settings(simulator, s3, bucket)) {
            String property = setting.substring(0, setting.indexOf('=') + 1);
            if (settings.stream().noneMatch(override -> override.startsWith(property))) {
                settings.add(setting);
            }
        }
        return settings;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
