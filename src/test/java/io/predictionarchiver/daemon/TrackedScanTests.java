package io.predictionarchiver.daemon;

import static io.predictionarchiver.daemon.TrackedApiTests.awaitState;
import static io.predictionarchiver.daemon.TrackedApiTests.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.predictionarchiver.config.TrackingProperties;
import io.predictionarchiver.prediction.PredictionId;
import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.testsupport.S3RequestCounter;
import io.predictionarchiver.tracking.TrackingStore;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Flux;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the daemon's scan for tracked ids costs in S3 requests, counted on the daemon's own client against the
 * real S3 server: the scan lists the state index, and a marker is read only by a claim.
 */
class TrackedScanTests extends DaemonTestBed {

    private static final int IDS = 30;
    private static final int SCANS = 5;
    private static final String FAST_SCANS = "--archiver.tracking.scan-interval=200ms";

    @Test
    void scansOfIdsAlreadyInHandReadNoMarker() {
        List<String> ids = neverFinishing("in-hand");
        S3RequestCounter requests = new S3RequestCounter();
        WebTestClient client = daemon(requests, "scanner", FAST_SCANS).client();
        ids.forEach(id -> track(client, id));
        ids.forEach(id -> awaitState(client, id, "polling"));

        requests.reset();
        awaitScans(requests);

        // reading every active marker, as the scan once did, would be SCANS * IDS reads here
        assertThat(requests.count("GetObject", "_tracking/active/")).as("markers read by %d scans", SCANS).isZero();
    }

    @Test
    void anIdLeasedByAnotherDaemonCostsOneMarkerReadPerScanAndIsLeftAlone() {
        List<String> ids = neverFinishing("elsewhere");
        try (S3AsyncClient client = s3.asyncClient(s3.properties(bucket))) {
            TrackingStore elsewhere = new TrackingStore(client, s3.properties(bucket),
                    TrackingProperties.of("_tracking/", Duration.ofHours(1)), JsonMapper.builder().build(),
                    Clock.systemUTC());
            Flux.fromIterable(ids).map(PredictionId::of)
                    .concatMap(id -> elsewhere.accept(id).then(elsewhere.claim(id, "elsewhere")))
                    .blockLast(Duration.ofSeconds(30));
        }
        S3RequestCounter requests = new S3RequestCounter();
        daemon(requests, "scanner", FAST_SCANS);

        awaitScans(requests);

        long scans = scans(requests);
        assertThat(requests.count("GetObject", "_tracking/active/")).as("marker reads in %d scans", scans)
                .isPositive().isLessThanOrEqualTo((scans + 1) * IDS);
        assertThat(requests.count("HeadObject", "_tracking/done/")).as("claims gone past the lease").isZero();
        assertThat(requests.count("PutObject", "_tracking/")).as("writes of the scanner").isZero();
        assertThat(simulator.stats().apiCalls()).as("predictions polled by the scanner").isZero();
    }

    private List<String> neverFinishing(String prefix) {
        List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
        ids.forEach(id -> simulator.register(SimulatedPrediction.generated(id).completesAfter(Duration.ofHours(10))
                .build()));
        return ids;
    }

    private static void awaitScans(S3RequestCounter requests) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scans(requests) >= SCANS + 1);
    }

    /**
     * Scans begun, give or take one: each lists the pending entries of the state index once, after the others
     * (the census, every 30 s, lists them too). Listings of the active markers count as well, as a scan that
     * read every marker would begin with one.
     */
    private static long scans(S3RequestCounter requests) {
        return requests.count("ListObjectsV2", "_tracking/by-state/pending/")
                + requests.count("ListObjectsV2", "_tracking/active/");
    }
}
