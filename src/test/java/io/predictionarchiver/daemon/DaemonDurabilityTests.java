package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.ForkedArchiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the daemon promises across stops, crashes and company: an id acknowledged is archived, once, whatever
 * happens to the daemon that acknowledged it.
 */
class DaemonDurabilityTests extends DaemonTestBed {

    private static final int FILE_SIZE = 2 * 1024 * 1024;

    @Override
    SimulatorSettings simulatorSettings() {
        // slow deliveries, so that a daemon stopped or killed a moment after the 202 has work in flight
        return SimulatorSettings.builder().expectedToken(TOKEN)
                .bandwidthBytesPerSecond(4L * 1024 * 1024).build();
    }

    @Test
    void idsAcceptedByADaemonStoppedAtOnceAreArchivedExactlyOnceByTheNext() {
        List<String> ids = register("stop", 12);
        RunningDaemon first = daemon("first", "--archiver.daemon.drain-timeout=0s");
        postIds(first.client(), ids);

        first.close();
        WebTestClient next = daemon("next").client();

        ids.forEach(id -> awaitState(next, id, "archived"));
        assertArchivedOnce(ids);
    }

    @Test
    void idsOfADaemonKilledMidTransferAreTakenOverByAnotherWhenTheirLeasesExpire(@TempDir Path dir)
            throws Exception {
        List<String> ids = register("kill", 6);
        List<String> args = new ArrayList<>(List.of("daemon"));
        args.addAll(settings("killed"));
        args.addAll(List.of("--server.port=0", "--server.address=127.0.0.1", "--archiver.tracking.lease-duration=3s",
                "--archiver.tracking.scan-interval=500ms"));
        Path log = dir.resolve("daemon.log");
        Process killed = new ProcessBuilder(ForkedArchiver.command(args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            WebTestClient client = clientOf(ForkedArchiver.awaitNettyPort(log, killed));
            postIds(client, ids);
            await().atMost(Duration.ofMinutes(1)).until(() -> transferring(client, ids) || !killed.isAlive());
            assertThat(killed.isAlive()).as("the daemon runs; it printed:%n%s", ForkedArchiver.read(log)).isTrue();
        } finally {
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        WebTestClient survivor = daemon("survivor", "--archiver.tracking.lease-duration=3s",
                "--archiver.tracking.scan-interval=500ms").client();

        ids.forEach(id -> awaitState(survivor, id, "archived"));
        assertArchivedOnce(ids);
        assertThat(ids).anySatisfy(id -> survivor.get().uri("/v1/tracked/" + id).exchange()
                .expectBody().jsonPath("$.attempts").isEqualTo(2));
    }

    @Test
    void twoDaemonsGivenOverlappingIdsArchiveEachOnce() {
        List<String> ids = register("both", 16);
        RunningDaemon one = daemon("one");
        RunningDaemon two = daemon("two");

        postIds(one.client(), ids.subList(0, 12));
        postIds(two.client(), ids.subList(4, 16));

        ids.forEach(id -> awaitState(one.client(), id, "archived"));
        assertArchivedOnce(ids);
        List<String> requested = simulator.stats().requestedDeliveryPaths();
        assertThat(requested).as("every file downloaded by one daemon only").doesNotHaveDuplicates()
                .hasSize(ids.size());
    }

    private List<String> register(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(1 + id.length() % 3)
                .fileSize(FILE_SIZE).build()));
        return ids;
    }

    private static void postIds(WebTestClient client, List<String> ids) {
        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", ids))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted.length()").isEqualTo(ids.size());
    }

    /** One complete manifest per id, no marker left active, no upload left open but those of a killed JVM. */
    private void assertArchivedOnce(List<String> ids) {
        List<String> keys = s3.keys(bucket);
        ids.forEach(id -> assertThat(keys).filteredOn(key -> key.equals("predictions/" + id + "/prediction.json"))
                .hasSize(1));
        assertThat(keys).noneMatch(key -> key.startsWith("_tracking/active/"));
        ids.forEach(id -> assertThat(new String(s3.bytes(bucket, "predictions/" + id + "/prediction.json")))
                .contains("\"state\":\"complete\""));
    }

    private static boolean transferring(WebTestClient client, List<String> ids) {
        return ids.stream().anyMatch(id -> {
            byte[] body = client.get().uri("/v1/tracked/" + id).exchange().expectBody().returnResult()
                    .getResponseBody();
            return body != null && new String(body).contains("\"state\":\"transferring\"");
        });
    }

    private static WebTestClient clientOf(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }
}
