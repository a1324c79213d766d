package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery in a running daemon: predictions the simulator lists (two a page) get archived without anyone
 * tracking them, and a restarted daemon goes on from the watermark its predecessor stored.
 */
class DiscoveryDaemonTests extends DaemonTestBed {

    private static final String WATERMARK_KEY = "_tracking/discovery/watermark.json";

    @Override
    SimulatorSettings simulatorSettings() {
        return SimulatorSettings.builder().expectedToken(TOKEN).listPageSize(2).build();
    }

    @Test
    void listedPredictionsAreArchivedUntrackedAndARestartGoesOnFromTheWatermark() {
        Instant start = Instant.now();
        List<String> first = List.of("found-1", "found-2", "found-3");
        for (int i = 0; i < first.size(); i++) {
            register(first.get(i), start.minusSeconds(i));
        }
        RunningDaemon daemon = discoveringDaemon("d1");

        first.forEach(id -> awaitState(daemon.client(), id, "archived"));
        assertThat(s3.keys(bucket)).contains("predictions/found-3/prediction.json");
        awaitWatermark(start);
        daemon.close();

        Instant afterRestart = Instant.now();
        register("after-restart", afterRestart);
        // within the first look's lookback, but long before the watermark: a restarted daemon that forgot the
        // watermark would find it
        register("straggler", afterRestart.minus(Duration.ofMinutes(30)));
        WebTestClient restarted = discoveringDaemon("d2").client();

        awaitState(restarted, "after-restart", "archived");
        // raised only once every id of its look was accepted
        awaitWatermark(afterRestart);
        restarted.get().uri("/v1/tracked/straggler").exchange().expectStatus().isNotFound();
    }

    private void register(String id, Instant createdAt) {
        simulator.register(SimulatedPrediction.generated(id).createdAt(createdAt).completesAfterPolls(1).build());
    }

    private RunningDaemon discoveringDaemon(String owner) {
        return daemon(owner, "--archiver.discovery.enabled=true", "--archiver.discovery.interval=200ms");
    }

    /** Until discovery stored {@code newestCreatedAt} as its watermark (which it raises once a look ended). */
    private void awaitWatermark(Instant newestCreatedAt) {
        JsonMapper json = JsonMapper.builder().build();
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.exists(bucket, WATERMARK_KEY)
                && json.readTree(s3.text(bucket, WATERMARK_KEY)).path("newest_created_at").asString()
                        .equals(newestCreatedAt.toString()));
    }
}
