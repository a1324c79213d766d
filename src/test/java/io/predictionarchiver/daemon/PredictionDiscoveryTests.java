package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.DiscoveryProperties;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.ReplicateSimulator;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;
import io.predictionarchiver.testsupport.S3ProxyServer;
import io.predictionarchiver.testsupport.TestS3;
import io.predictionarchiver.tracking.Acceptance;
import io.predictionarchiver.tracking.TrackingStore;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery against the simulator's list endpoint (two results a page) over HTTP and tracking markers on
 * S3Proxy. The simulator's clock stands at {@link #NOW}, and so does the virtual time that paces the looks and
 * gives the first look its "now"; predictions are created at explicit times around it.
 */
class PredictionDiscoveryTests {

    private static final String TOKEN = "r8_DiscoveryTestToken_0123456789";
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration LOOKBACK = Duration.ofHours(1);
    private static final DiscoveryProperties PROPERTIES = new DiscoveryProperties(true, INTERVAL, LOOKBACK);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String WATERMARK_KEY = "_tracking/discovery/watermark.json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final TestS3 s3 = S3ProxyServer.shared();
    static S3AsyncClient client;

    private final VirtualTimeScheduler virtualTime = VirtualTimeScheduler.create();
    private String bucket;
    private ReplicateSimulator simulator;
    private PredictionPoller poller;

    @BeforeAll
    static void openClient() {
        client = s3.asyncClient(s3.properties("unused"));
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void start() {
        bucket = s3.newBucket();
        virtualTime.advanceTimeTo(NOW);
        simulator = ReplicateSimulator.start(SimulatorSettings.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .expectedToken(TOKEN)
                .listPageSize(2)
                .build());
        poller = poller(ApiProvider.REPLICATE);
    }

    @AfterEach
    void stop() {
        simulator.close();
        virtualTime.dispose();
    }

    @Test
    void theFirstLookTracksEveryPredictionOfTheLookbackAcrossPagesAndStoresTheNewestCreationTime() {
        List<String> recent = registerMinutesApart("recent-", 5);
        register("too-old", NOW.minus(Duration.ofHours(2)));
        TrackingStore store = store();

        StepVerifier.create(discovery(poller::listCreatedBetween, store).look())
                .recordWith(CopyOnWriteArrayList::new)
                .expectNextCount(5)
                .consumeRecordedWith(accepted -> assertThat(accepted)
                        .allMatch(Acceptance::newlyTracked)
                        .extracting(acceptance -> acceptance.id().value())
                        .containsExactlyInAnyOrderElementsOf(recent))
                .expectComplete()
                .verify(PATIENCE);

        // 2 + 2 + 1 results
        assertThat(simulator.stats().apiCalls()).isEqualTo(3);
        assertThat(store.find(PredictionId.of("too-old")).block()).isEmpty();
        assertThat(store.discoveryWatermark().block()).contains(NOW.minus(Duration.ofMinutes(1)));
        assertThat(MAPPER.readTree(s3.text(bucket, WATERMARK_KEY)).path("newest_created_at").asString())
                .isEqualTo("2026-11-20T11:59:00Z");
    }

    @Test
    void aRestartedDiscoveryListsFromTheStoredWatermarkLessTheOverlap() {
        registerMinutesApart("recent-", 3);
        discovery(poller::listCreatedBetween, store()).look().blockLast(PATIENCE);
        register("later", NOW.plus(Duration.ofMinutes(2)));
        // within the lookback, but long before the watermark: a fresh start would find it, a restart does not
        register("straggler", NOW.minus(Duration.ofMinutes(30)));
        virtualTime.advanceTimeBy(Duration.ofMinutes(5));
        List<Instant> requestedSince = new CopyOnWriteArrayList<>();
        TrackingStore restartedStore = store();

        List<Acceptance> accepted = discovery(recording(requestedSince), restartedStore).look()
                .collectList().block(PATIENCE);

        Instant watermark = NOW.minus(Duration.ofMinutes(1));
        assertThat(requestedSince).containsExactly(watermark.minus(PredictionDiscovery.OVERLAP));
        assertThat(accepted).filteredOn(Acceptance::newlyTracked)
                .extracting(acceptance -> acceptance.id().value()).containsExactly("later");
        assertThat(restartedStore.find(PredictionId.of("straggler")).block()).isEmpty();
        assertThat(restartedStore.discoveryWatermark().block()).contains(NOW.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aLookNeverLowersAWatermarkAnotherDaemonRaisedMeanwhile() {
        registerMinutesApart("recent-", 3);
        TrackingStore otherDaemon = store();
        Instant further = NOW.plus(Duration.ofMinutes(10));
        BiFunction<Instant, Instant, Flux<Prediction>> listing = (since, until) ->
                otherDaemon.recordDiscoveryWatermark(further).thenMany(poller.listCreatedBetween(since, until));
        TrackingStore store = store();

        StepVerifier.create(discovery(listing, store).look()).expectNextCount(3).expectComplete().verify(PATIENCE);

        assertThat(store.discoveryWatermark().block()).contains(further);
    }

    @Test
    void looksAgainEachIntervalAndAFailedLookLeavesTheWatermarkWhereItWas() {
        register("first", NOW.minus(Duration.ofMinutes(3)));
        List<Instant> requestedSince = new CopyOnWriteArrayList<>();
        BiFunction<Instant, Instant, Flux<Prediction>> recording = recording(requestedSince);
        // the second look sees the newest prediction, then the API goes away before the listing ends
        BiFunction<Instant, Instant, Flux<Prediction>> listing = (since, until) -> requestedSince.size() == 1
                ? recording.apply(since, until).take(1).concatWith(Flux.error(new IllegalStateException("outage")))
                : recording.apply(since, until);
        TrackingStore store = store();
        List<Acceptance> accepted = new CopyOnWriteArrayList<>();

        Disposable running = discovery(listing, store).run().subscribe(accepted::add);
        try {
            Instant firstWatermark = NOW.minus(Duration.ofMinutes(3));
            await().atMost(PATIENCE).until(() -> store.discoveryWatermark().block().equals(Optional.of(firstWatermark)));
            register("second", NOW.minus(Duration.ofSeconds(30)));
            await().atMost(PATIENCE).untilAsserted(() -> {
                virtualTime.advanceTimeBy(INTERVAL);
                assertThat(store.discoveryWatermark().block()).contains(NOW.minus(Duration.ofSeconds(30)));
            });

            Instant sinceFirstWatermark = firstWatermark.minus(PredictionDiscovery.OVERLAP);
            assertThat(requestedSince).startsWith(NOW.minus(LOOKBACK), sinceFirstWatermark, sinceFirstWatermark);
            assertThat(accepted).extracting(acceptance -> acceptance.id().value()).contains("first", "second");
            assertThat(store.find(PredictionId.of("second")).block()).isPresent();
        } finally {
            running.dispose();
        }
    }

    @Test
    void aProviderWithoutListEndpointEndsDiscoveryWithoutARequest() {
        register("unseen", NOW.minus(Duration.ofMinutes(1)));

        StepVerifier.create(discovery(poller(ApiProvider.COMETAPI)::listCreatedBetween, store()).run())
                .expectComplete()
                .verify(PATIENCE);

        assertThat(simulator.stats().apiCalls()).isZero();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    /** Registers {@code count} predictions created 1, 2, ... minutes before {@link #NOW}; their ids. */
    private List<String> registerMinutesApart(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int minutes = 1; minutes <= count; minutes++) {
            register(prefix + minutes, NOW.minus(Duration.ofMinutes(minutes)));
            ids.add(prefix + minutes);
        }
        return ids;
    }

    private void register(String id, Instant createdAt) {
        simulator.register(SimulatedPrediction.generated(id).createdAt(createdAt).build());
    }

    private BiFunction<Instant, Instant, Flux<Prediction>> recording(List<Instant> requestedSince) {
        return (since, until) -> {
            requestedSince.add(since);
            return poller.listCreatedBetween(since, until);
        };
    }

    private PredictionDiscovery discovery(BiFunction<Instant, Instant, Flux<Prediction>> listing,
            TrackingStore store) {
        return new PredictionDiscovery(listing, store, PROPERTIES, virtualTime);
    }

    /** A store as one daemon (or one run of it) has it; several on one bucket share its markers. */
    private TrackingStore store() {
        return new TrackingStore(client, s3.properties(bucket), TrackingProperties.of("_tracking/",
                Duration.ofMinutes(5)), MAPPER, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private PredictionPoller poller(ApiProvider provider) {
        var api = new ApiProperties(provider, simulator.baseUrl(), null, null, TOKEN, 6000, 100,
                Duration.ofSeconds(5));
        var poll = new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 3,
                Duration.ofMillis(10), Duration.ofMillis(50));
        return PredictionPoller.create(api, poll, WebClient.builder(), Schedulers.parallel());
    }
}
