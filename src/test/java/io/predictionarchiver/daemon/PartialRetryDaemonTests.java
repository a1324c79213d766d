package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.FlakyDeliveryHost;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The daemon and a file that keeps failing: the id stays tracked with a {@code partial} manifest and is tried
 * again at later scans, keeping the stored file, until the file is stored or the files expire.
 */
class PartialRetryDaemonTests extends DaemonTestBed {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GOOD = "/p/good.png";
    private static final String BAD = "/p/bad.png";

    private final FlakyDeliveryHost host = new FlakyDeliveryHost();

    @BeforeEach
    void failingHost() {
        host.serve(GOOD, "good bytes");
        host.serve(BAD, "the other file, once its host recovers");
        host.fail(BAD);
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void aPartialIsRetriedAtLaterScansUntilItCompletesWhateverTheNumberOfClaims() {
        register("retried-1");
        // one claim would end an id failing any other way: files that kept failing are retried regardless
        WebTestClient client = daemon("d1", "--archiver.tracking.scan-interval=200ms",
                "--archiver.tracking.max-attempts=1", "--archiver.download.max-attempts=1").client();
        track(client, "retried-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> s3.exists(bucket, manifestKey("retried-1")));
        assertThat(manifest("retried-1").get("archive").get("state").asString()).isEqualTo("partial");
        await().atMost(Duration.ofSeconds(30)).until(() -> host.requests(BAD) >= 3);
        host.recover(BAD);

        awaitState(client, "retried-1", "archived");
        JsonNode archive = manifest("retried-1").get("archive");
        assertThat(archive.get("state").asString()).isEqualTo("complete");
        assertThat(archive.get("files").valueStream().map(file -> file.get("state").asString()))
                .containsExactly("stored", "stored");
        assertThat(host.requests(GOOD)).as("the stored file is kept across retries").isEqualTo(1);
        client.get().uri("/v1/tracked/retried-1").exchange().expectBody()
                .jsonPath("$.archive_state").isEqualTo("complete")
                .jsonPath("$.attempts").value(attempts -> assertThat((Integer) attempts).isGreaterThan(1));
    }

    @Test
    void retriesStopOnceTheFilesHaveExpired() {
        register("expiring-1");
        // the files of a prediction completed a moment ago count as expired a second later
        WebTestClient client = daemon("d1", "--archiver.tracking.scan-interval=200ms",
                "--archiver.download.max-attempts=1", "--archiver.expiry=1s").client();
        track(client, "expiring-1");

        awaitState(client, "expiring-1", "archived");
        client.get().uri("/v1/tracked/expiring-1").exchange().expectBody()
                .jsonPath("$.archive_state").isEqualTo("partial");
        // archived is final: no scan claims the id again
        assertThat(manifest("expiring-1").get("archive").get("files").get(1).get("state").asString())
                .isEqualTo("failed");
    }

    private void register(String id) {
        simulator.register(SimulatedPrediction.generated(id)
                .externalOutput(List.of(host.url(GOOD), host.url(BAD))).build());
    }

    private static void track(WebTestClient client, String id) {
        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": \"" + id + "\"}")
                .exchange()
                .expectStatus().isAccepted();
    }

    private static String manifestKey(String id) {
        return "predictions/" + id + "/prediction.json";
    }

    private JsonNode manifest(String id) {
        return JSON.readTree(s3.text(bucket, manifestKey(id)));
    }
}
