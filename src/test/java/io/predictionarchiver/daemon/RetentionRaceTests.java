package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.DaemonOperationsTests.scrape;
import static io.predictionarchiver.daemon.DaemonOperationsTests.value;
import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.json.JsonMapper;

/**
 * The retention race on the simulator: {@code archiver_expiry_margin_seconds} falls while completed predictions
 * wait for a transfer budget too small for them and recovers once they are archived;
 * {@code archiver_files_expired_total} counts files lost although the daemon saw their prediction in time.
 */
class RetentionRaceTests extends DaemonTestBed {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int PREDICTIONS = 6;
    /** 100 KB files at 100 KB/s, one transfer at a time: about a second each, so the last waits about five. */
    private static final long BANDWIDTH = 100_000;
    private static final double EXPIRY_SECONDS = 600;

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().expectedToken(TOKEN).bandwidthBytesPerSecond(BANDWIDTH).build();
    }

    @Test
    void theMarginFallsWhileCompletedPredictionsWaitForTransfersAndRecoversOnceTheyAreArchived() {
        List<String> ids = IntStream.range(0, PREDICTIONS).mapToObj(i -> "race-" + i).toList();
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfterPolls(0).files(1)
                .fileSize(BANDWIDTH).build()));
        WebTestClient client = daemon("d1", "--archiver.expiry=10m", "--archiver.download.concurrency=1").client();
        assertThat(value(scrape(client), "archiver_expiry_margin_seconds")).as("margin with nothing waiting")
                .isEqualTo(EXPIRY_SECONDS);

        client.post().uri("/v1/tracked").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ids.stream().map(id -> "\"" + id + "\"")
                        .collect(Collectors.joining(", ", "{\"ids\": [", "]}")))
                .exchange()
                .expectStatus().isAccepted();

        AtomicReference<Double> lowest = new AtomicReference<>(EXPIRY_SECONDS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            double margin = value(scrape(client), "archiver_expiry_margin_seconds");
            lowest.accumulateAndGet(margin, Math::min);
            return margin < EXPIRY_SECONDS - 2;
        });
        ids.forEach(id -> awaitState(client, id, "archived"));

        assertThat(lowest.get()).as("lowest margin seen").isLessThan(EXPIRY_SECONDS - 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = scrape(client);
            assertThat(value(scrape, "archiver_expiry_margin_seconds")).as("margin once all are archived")
                    .isEqualTo(EXPIRY_SECONDS);
            assertThat(value(scrape, "archiver_outcomes_total{result=\"archived\"}")).isEqualTo(PREDICTIONS);
            assertThat(value(scrape, "archiver_files_expired_total")).isZero();
        });
    }

    @Test
    void filesThatExpireAfterTheDaemonSawTheirPredictionAreCountedAndThoseGoneBeforeAreNot() {
        simulator.register(SimulatedPrediction.generated("lost").completesAfterPolls(0).files(2).fileSize(1000)
                .expiredDelivery(true).build());
        SimulatedPrediction removed = SimulatedPrediction.fixture("succeeded-data-removed");
        simulator.register(removed);
        WebTestClient client = daemon("d1").client();

        TrackedApiTests.track(client, "lost");
        TrackedApiTests.track(client, removed.id());
        awaitState(client, "lost", "archived");
        awaitState(client, removed.id(), "archived");

        assertThat(MAPPER.readTree(s3.text(bucket, "predictions/lost/prediction.json")).at("/archive/state")
                .asString()).isEqualTo("expired");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(value(scrape(client), "archiver_files_expired_total")).isEqualTo(2));
    }
}
