package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static io.predictionarchiver.daemon.TrackedApiTests.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.predictionarchiver.ArchiverVersion;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.tracking.Census;
import io.predictionarchiver.tracking.State;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DaemonOperationsTests extends DaemonTestBed {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void healthIsUpWithS3AndTheApiS3AloneInReadinessAndLivenessOnItsOwn() {
        WebTestClient client = daemon("d1").client();

        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.s3.status").isEqualTo("UP")
                .jsonPath("$.components.api.status").isEqualTo("UP");
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.s3.details.bucket").isEqualTo(bucket)
                .jsonPath("$.components.api").doesNotExist()
                .jsonPath("$.components.readinessState.status").isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.s3").doesNotExist()
                .jsonPath("$.components.api").doesNotExist();
        // the API probe was answered from its cache after the first health request
        assertThat(simulator.stats().apiCalls(ApiHealthIndicator.PROBE_ID)).isEqualTo(1);
    }

    @Test
    void readinessGoesDownWhenTheBucketIsGoneWhileLivenessStaysUp() {
        WebTestClient client = daemon("d1").client();

        s3.client().deleteBucket(request -> request.bucket(bucket));
        simulator.close();

        // archiver_ready checked readiness at start: the API's answer is cached for up to 30 s from then
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.s3.status").isEqualTo("DOWN")
                .jsonPath("$.components.s3.details.reason")
                .isEqualTo("bucket " + bucket + " does not exist (archiver.s3.bucket)")
                .jsonPath("$.components.api").doesNotExist());
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void withTheApiDownThePodStaysReadyAndKeepsAcceptingWorkWhileHealthReportsTheApi() {
        WebTestClient client = daemon("d1").client();

        simulator.close();

        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.s3.status").isEqualTo("UP")
                .jsonPath("$.components.api").doesNotExist();
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.components.api.status").isEqualTo("DOWN")
                .jsonPath("$.components.api.details.reason").value(reason -> assertThat((String) reason)
                        .startsWith("no answer from the API").containsIgnoringCase("connection refused"));
        // what readiness is for: the work still comes in, durably, to be archived once the API is back
        track(client, "buffered-while-down");
        client.get().uri("/v1/tracked/buffered-while-down").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").value(state -> assertThat((String) state).isIn("pending", "polling"));
    }

    @Test
    void infoNamesTheVersionCommitAndBuildTimeThatVersionPrints() {
        JsonNode info = MAPPER.readTree(daemon("d1").client().get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(info.at("/build/version").asString()).isEqualTo(ArchiverVersion.current());
        assertThat(info.at("/build/time").asString()).isNotBlank();
        ArchiverVersion.commit().ifPresent(commit ->
                assertThat(commit).startsWith(info.at("/git/commit/id").asString()));
        assertThat(ArchiverVersion.buildTime()).isPresent();
    }

    @Test
    void managementServerPortMovesActuatorOffThePublicPort() {
        RunningDaemon daemon = daemon("d1", "--management.server.port=0", "--management.server.address=127.0.0.1");
        String port = daemon.context().getEnvironment().getProperty("local.management.port");
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();

        assertThat(port).isNotNull().isNotEqualTo(daemon.context().getEnvironment().getProperty("local.server.port"));
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        daemon.client().get().uri("/actuator/health").exchange().expectStatus().isNotFound();
        daemon.client().get().uri("/v1/openapi.yaml").exchange().expectStatus().isOk();
    }

    @Test
    void aRejectedTokenMakesTheApiDownWithoutShowingTheToken() {
        // a second token argument joins the first ("a,b"): a token the simulator rejects
        WebTestClient client = daemon("d1", "--archiver.api.token=r8_wrong-token-d41d8cd9").client();

        String body = client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody(String.class).returnResult().getResponseBody();

        JsonNode readiness = MAPPER.readTree(body);
        assertThat(readiness.at("/components/s3/status").asString()).isEqualTo("UP");
        assertThat(readiness.at("/components/api/status").asString()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/api/details/reason").asString()).isEqualTo(
                "the API rejected the token (HTTP 401): set a valid archiver.api.token or REPLICATE_API_TOKEN");
        assertThat(body).doesNotContain("r8_wrong-token").doesNotContain(TOKEN);
    }

    @Test
    void prometheusShowsWhatTheDaemonDidAfterArchivingOnePrediction() {
        simulator.register(SimulatedPrediction.generated("metered").completesAfterPolls(2).files(2).fileSize(1500)
                .throttledCalls(2, Duration.ofMillis(10)).build());
        // polled by id: the throttled answers are the prediction's own GETs (list pages: PollByListDaemonTests)
        RunningDaemon daemon = daemon("d1", "--archiver.poll.by-list=false");
        WebTestClient client = daemon.client();

        track(client, "metered");
        awaitState(client, "metered", "archived");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = scrape(client);
            assertThat(value(scrape, "archiver_outcomes_total{result=\"archived\"}")).isEqualTo(1);
            assertThat(value(scrape, "archiver_outcomes_total{result=\"failed\"}")).isZero();
            assertThat(value(scrape, "archiver_archived_bytes_total")).isEqualTo(3000);
            assertThat(value(scrape, "archiver_polls_total")).isGreaterThanOrEqualTo(4);
            assertThat(value(scrape, "archiver_api_throttled_total")).isEqualTo(2);
            assertThat(value(scrape, "archiver_transfer_duration_seconds_count{result=\"archived\"}")).isEqualTo(1);
            assertThat(value(scrape, "archiver_completion_to_archived_seconds_count")).isEqualTo(1);
            assertThat(value(scrape, "archiver_tracked_ids{state=\"pending\"}")).isNotNaN();
            assertThat(value(scrape, "archiver_tracked_ids{state=\"polling\"}")).isNotNaN();
            assertThat(value(scrape, "archiver_tracked_ids{state=\"transferring\"}")).isNotNaN();
            assertThat(value(scrape, "archiver_oldest_pending_age_seconds")).isNotNaN();
        });
    }

    @Test
    void aStoppedDaemonGivesItsIdsBackAtOnceForTheNextToClaim() {
        simulator.register(SimulatedPrediction.generated("endless").completesAfterPolls(1_000_000).build());
        RunningDaemon first = daemon("first", "--archiver.tracking.lease-duration=10m");
        track(first.client(), "endless");
        awaitState(first.client(), "endless", "polling");
        Census census = first.bean(TrackingStore.class).census().block(Duration.ofSeconds(10));
        assertThat(census.counts()).containsOnly(entry(State.PENDING, 0L), entry(State.POLLING, 1L),
                entry(State.TRANSFERRING, 0L));
        assertThat(census.oldestEntry()).isNotNull();

        first.close();

        JsonNode marker = MAPPER.readTree(s3.text(bucket, "_tracking/active/endless.json"));
        assertThat(marker.path("state").asString()).isEqualTo("polling");
        assertThat(marker.path("attempts").asInt()).isEqualTo(1);
        assertThat(marker.path("lease_owner").isNull()).as("lease owner in %s", marker).isTrue();
        // were the lease of 10 minutes still held, the second daemon would stay off the id for the whole test
        WebTestClient second = daemon("second", "--archiver.tracking.lease-duration=10m").client();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> second.get().uri("/v1/tracked/endless")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.state").isEqualTo("polling")
                .jsonPath("$.attempts").isEqualTo(2));
    }

    static String scrape(WebTestClient client) {
        return client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of the sample {@code series} (name and labels exactly as exported). */
    static double value(String scrape, String series) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(sample.find()).as("series %s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
