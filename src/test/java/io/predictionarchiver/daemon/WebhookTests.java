package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.WebhookSigner.now;
import static io.predictionarchiver.daemon.WebhookSigner.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.predictionarchiver.simulator.SimulatedPrediction;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/webhooks/replicate} on a real daemon: signature checks, archiving from the body, duplicates. */
class WebhookTests extends DaemonTestBed {

    private static final String PATH = "/v1/webhooks/replicate";
    private static final byte[] FIXTURE_BODY = resource("/fixtures/webhook-completed.body");
    private static final Map<String, String> FIXTURE_HEADERS = JsonMapper.builder().build()
            .readValue(resource("/fixtures/webhook-completed.headers.json"), new TypeReference<Map<String, String>>() {
            });
    private static final String SECRET = FIXTURE_HEADERS.get("secret");
    private static final String FIXTURE_WEBHOOK_ID = FIXTURE_HEADERS.get("webhook-id");
    private static final String FIXTURE_PREDICTION = "t2s7f615pdrm40ck09v88sm224";
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("another-endpoint-secret-32-bytes".getBytes(StandardCharsets.US_ASCII));

    @Test
    void refusedDeliveriesGetProblemDetailsAndLeaveNothingBehind() {
        WebTestClient client = daemon("d1", "--archiver.webhook.secret=" + SECRET,
                "--archiver.daemon.max-webhook-size=4KB", "--archiver.tracking.scan-interval=1h").client();
        String now = now();
        byte[] tampered = new String(FIXTURE_BODY, StandardCharsets.UTF_8).replace("\"succeeded\"", "\"failed\"")
                .getBytes(StandardCharsets.UTF_8);

        expectRefusal(client, tampered, signed(SECRET, FIXTURE_WEBHOOK_ID, now, FIXTURE_BODY),
                HttpStatus.UNAUTHORIZED, "no signature matches");
        expectRefusal(client, FIXTURE_BODY, signed(OTHER_SECRET, FIXTURE_WEBHOOK_ID, now, FIXTURE_BODY),
                HttpStatus.UNAUTHORIZED, "no signature matches");
        expectRefusal(client, FIXTURE_BODY, fixtureHeaders(), HttpStatus.UNAUTHORIZED,
                "webhook-timestamp outside the 5-minute tolerance");
        for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, String> headers = signed(SECRET, FIXTURE_WEBHOOK_ID, now, FIXTURE_BODY);
            headers.remove(header);
            expectRefusal(client, FIXTURE_BODY, headers, HttpStatus.UNAUTHORIZED, "missing " + header + " header");
        }
        byte[] oversized = ("{\"id\": \"big\", \"logs\": \"" + "x".repeat(5000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        expectRefusal(client, oversized, signed(SECRET, "msg_big", now, oversized), HttpStatus.CONTENT_TOO_LARGE,
                "archiver.daemon.max-webhook-size");
        expectRefusal(client, bytes("{\"id\": "), signed(SECRET, "msg_cut", now, bytes("{\"id\": ")),
                HttpStatus.BAD_REQUEST, "not valid JSON");
        expectRefusal(client, bytes("{\"status\": \"succeeded\"}"),
                signed(SECRET, "msg_no_id", now, bytes("{\"status\": \"succeeded\"}")),
                HttpStatus.BAD_REQUEST, "no string 'id'");
        expectRefusal(client, bytes("{\"id\": \"../etc\"}"), signed(SECRET, "msg_bad_id", now,
                bytes("{\"id\": \"../etc\"}")), HttpStatus.BAD_REQUEST, "invalid prediction id '../etc'");
        assertThat(s3.keys(bucket)).isEmpty();

        // the fixture, re-signed now: its webhook-id was refused above, so it was not remembered as processed
        post(client, FIXTURE_BODY, signed(SECRET, FIXTURE_WEBHOOK_ID, now(), FIXTURE_BODY))
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.id").isEqualTo(FIXTURE_PREDICTION)
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.delivery").isEqualTo("accepted");
        TrackedApiTests.awaitState(client, FIXTURE_PREDICTION, "archived");
        // the simulator does not know this prediction: polling it would have failed it
        assertThat(simulator.stats().apiCalls(FIXTURE_PREDICTION)).isZero();
        assertThat(s3.exists(bucket, "predictions/" + FIXTURE_PREDICTION + "/prediction.json")).isTrue();
    }

    @Test
    void aCompletedPredictionIsArchivedFromItsWebhookWithoutPollingAndOnlyOnce() {
        simulator.register(SimulatedPrediction.generated("hook-done").files(2).build());
        byte[] body = apiBody("hook-done");
        // S3 refuses the first delivery: the bucket does not exist yet
        bucket = "test-later-" + UUID.randomUUID().toString().substring(0, 8);
        WebTestClient client = daemon("d1", "--archiver.webhook.secret=" + SECRET,
                "--archiver.tracking.scan-interval=1h").client();
        String timestamp = now();
        Map<String, String> headers = signed(SECRET, "msg_hook_done", timestamp, body);
        // a decoy first: any one of the signatures may be the valid one
        String decoy = signed(OTHER_SECRET, "msg_hook_done", timestamp, body).get("webhook-signature");
        headers.put("webhook-signature", decoy + " " + headers.get("webhook-signature"));

        expectRefusal(client, body, headers, HttpStatus.SERVICE_UNAVAILABLE, "hook-done could not be tracked");
        s3.client().createBucket(b -> b.bucket(bucket));

        post(client, body, headers)
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.id").isEqualTo("hook-done")
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.delivery").isEqualTo("accepted");
        TrackedApiTests.awaitState(client, "hook-done", "archived");
        client.get().uri("/v1/tracked/hook-done").exchange()
                .expectBody().jsonPath("$.archive_state").isEqualTo("complete");
        assertThat(s3.keys(bucket)).contains("predictions/hook-done/out-0.webp", "predictions/hook-done/out-1.webp",
                "predictions/hook-done/prediction.json");
        assertThat(simulator.stats().apiCalls("hook-done")).as("only the test's own GET").isEqualTo(1);
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(2);
        List<String> keysArchived = s3.keys(bucket);
        byte[] manifest = s3.bytes(bucket, "predictions/hook-done/prediction.json");
        String tracked = trackedView(client, "hook-done");

        post(client, body, headers)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("hook-done")
                .jsonPath("$.delivery").isEqualTo("duplicate");

        assertThat(s3.keys(bucket)).isEqualTo(keysArchived);
        assertThat(s3.bytes(bucket, "predictions/hook-done/prediction.json")).isEqualTo(manifest);
        assertThat(trackedView(client, "hook-done")).isEqualTo(tracked);
        assertThat(simulator.stats().deliveryRequests()).isEqualTo(2);
        assertThat(simulator.stats().apiCalls("hook-done")).isEqualTo(1);
    }

    @Test
    void aRunningPredictionFromAWebhookIsTrackedAndPolledUntilDone() {
        simulator.register(SimulatedPrediction.generated("hook-running").completesAfterPolls(1).build());
        byte[] body = apiBody("hook-running");
        WebTestClient client = daemon("d1", "--archiver.webhook.secret=" + SECRET).client();

        post(client, body, signed(SECRET, "msg_hook_running", now(), body))
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.id").isEqualTo("hook-running")
                .jsonPath("$.status").isEqualTo("starting");

        TrackedApiTests.awaitState(client, "hook-running", "archived");
        assertThat(simulator.stats().apiCalls()).as("the test's GET and the daemon's looks (list pages)")
                .isGreaterThan(1);
    }

    @Test
    void webhooksAreRefusedWithoutASecret() {
        WebTestClient client = daemon("d1", "--archiver.webhook.secret=").client();

        expectRefusal(client, FIXTURE_BODY, signed(SECRET, FIXTURE_WEBHOOK_ID, now(), FIXTURE_BODY),
                HttpStatus.SERVICE_UNAVAILABLE, "archiver.webhook.secret or env REPLICATE_WEBHOOK_SECRET");

        assertThat(s3.keys(bucket)).isEmpty();
    }

    /** The prediction as the API returns it now, which is what Replicate puts in a webhook. */
    private byte[] apiBody(String id) {
        return WebTestClient.bindToServer().baseUrl(simulator.baseUrl().toString()).build()
                .get().uri("/v1/predictions/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private static String trackedView(WebTestClient client, String id) {
        return client.get().uri("/v1/tracked/" + id).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static WebTestClient.ResponseSpec post(WebTestClient client, byte[] body, Map<String, String> headers) {
        return client.post().uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(http -> headers.forEach(http::set))
                .bodyValue(body)
                .exchange();
    }

    private static void expectRefusal(WebTestClient client, byte[] body, Map<String, String> headers,
            HttpStatus status, String detailPart) {
        post(client, body, headers)
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.instance").isEqualTo(PATH)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(detailPart));
    }

    /** The fixture's own headers: signed long ago. */
    private static Map<String, String> fixtureHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, FIXTURE_HEADERS.get(name));
        }
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try {
            return new ClassPathResource(name).getContentAsByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
