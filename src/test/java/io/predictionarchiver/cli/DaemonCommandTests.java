package io.predictionarchiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.testsupport.ForkedArchiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

class DaemonCommandTests extends CliTestBed {

    @Test
    void aTrackingPrefixInsideTheArchivePrefixIsAConfigurationError() {
        ArchiveRun run = daemon("--archiver.tracking.prefix=predictions/_tracking/");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: archiver.tracking.prefix 'predictions/_tracking/' must"
                + " lie outside archiver.s3.prefix 'predictions/'");
    }

    @Test
    void anEmptyPrefixBesideTheDefaultTrackingPrefixIsAConfigurationError() {
        ArchiveRun run = daemon("--prefix=");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("configuration error: archiver.tracking.prefix '_tracking/' would be the"
                + " folder of prediction '_tracking' under the empty archiver.s3.prefix").contains("(set by --prefix)");
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void aMissingBucketIsAConfigurationErrorNamingTheOption() {
        ArchiveRun run = ArchiveRun.run("daemon", "--port=0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("archiver.s3.bucket");
    }

    @Test
    void theDaemonServesOnReactorNettyAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("daemon", "--port=0", "--archiver.tracking.owner=forked"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder(ForkedArchiver.command(args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = ForkedArchiver.awaitNettyPort(log, daemon);
            // a connection of its own, closed with the answer: one left open in a pool would be the daemon's to
            // wait for when SIGTERM comes (in one full run of 2026-12-02 the graceful shutdown waited out its 30 s)
            WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(
                            ConnectionProvider.newConnection())))
                    .baseUrl("http://127.0.0.1:" + port).build()
                    .get().uri("/v1/tracked/none-yet").exchange().expectStatus().isNotFound();

            daemon.destroy();

            assertThat(daemon.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(daemon.exitValue()).as(ForkedArchiver.read(log)).isIn(0, 143);
            assertThat(ForkedArchiver.read(log)).doesNotContain("Jetty").doesNotContain(ArchiveRun.TOKEN)
                    .contains("Graceful shutdown complete");
        } finally {
            daemon.destroyForcibly();
        }
    }

    private ArchiveRun daemon(String... arguments) {
        List<String> args = new ArrayList<>(List.of("daemon", "--port=0"));
        args.addAll(ArchiveRun.settings(simulator, s3, bucket));
        args.addAll(List.of(arguments));
        return ArchiveRun.run(args.toArray(String[]::new));
    }
}
